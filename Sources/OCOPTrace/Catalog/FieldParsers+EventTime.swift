extension FieldParsers {
    /// A diary time (`Thời gian bắt đầu`, `Thời gian kết thúc`): a date, or a date and a time,
    /// day first as every date: `2026-10-28T06:30`, `28/10/2026 06:30`, `28/10/2026 6h30`,
    /// `28/10/2026`; Viet Nam's `+07:00` unless the cell writes an offset (`…T06:30+08:00`, `…Z`).
    static func eventTime(_ text: String) throws(Invalid) -> EventTime {
        guard let time = EventTime(parsing: text) else {
            throw Invalid("\(text.quoted) is not a date and time: write 28/10/2026 06:30 or 2026-10-28T06:30 (day first; "
                + "Viet Nam time unless an offset such as +07:00 follows), or a date alone")
        }
        return time
    }
}
