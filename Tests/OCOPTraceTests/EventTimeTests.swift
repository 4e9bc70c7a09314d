import Testing
@testable import OCOPTrace

@Suite struct EventTimeTests {
    @Test(arguments: [
        ("2026-10-28T06:30", "2026-10-28T06:30:00+07:00", "2026-10-27T23:30:00.000Z"),
        ("28/10/2026 06:30", "2026-10-28T06:30:00+07:00", "2026-10-27T23:30:00.000Z"),
        ("28/10/2026 6:30", "2026-10-28T06:30:00+07:00", "2026-10-27T23:30:00.000Z"),
        ("28/10/2026 6h30", "2026-10-28T06:30:00+07:00", "2026-10-27T23:30:00.000Z"),
        ("28/10/2026 14h", "2026-10-28T14:00:00+07:00", "2026-10-28T07:00:00.000Z"),
        ("  28-10-2026   06:30:15 ", "2026-10-28T06:30:15+07:00", "2026-10-27T23:30:15.000Z"),
        ("2026-10-28T06:30+08:00", "2026-10-28T06:30:00+08:00", "2026-10-27T22:30:00.000Z"),
        ("2026-10-28 06:30 +0700", "2026-10-28T06:30:00+07:00", "2026-10-27T23:30:00.000Z"),
        ("2026-10-28T06:30:00Z", "2026-10-28T06:30:00+00:00", "2026-10-28T06:30:00.000Z"),
        ("2026-10-28T00:30-06", "2026-10-28T00:30:00-06:00", "2026-10-28T06:30:00.000Z"),
    ])
    func readsDiaryTimesDayFirstInVietnamTimeUnlessAnOffsetIsWritten(_ typed: String, _ eventTime: String, _ utc: String) throws {
        let time = try #require(EventTime(parsing: typed))
        #expect(time.eventTime == eventTime)
        #expect(time.utc == utc)
        #expect(time.hasTime)
    }

    @Test func aDateAloneIsTheStartOfThatDayInVietnam() throws {
        for typed in ["28/10/2026", "2026-10-28", "28.10.2026"] {
            let time = try #require(EventTime(parsing: typed))
            #expect(time.eventTime == "2026-10-28T00:00:00+07:00")
            #expect(time.timeZoneOffset == "+07:00")
            #expect(!time.hasTime)
            #expect(time.localDate == CalendarDate(year: 2026, month: 10, day: 28))
        }
    }

    /// The two forms diaries write on almost every row are read from their bytes; they must read
    /// as the general reader reads the same time written another way.
    @Test func commonFormsReadAsTheGeneralReaderDoes() throws {
        for day in [1, 9, 28, 29, 31] {
            for month in [1, 2, 12] {
                for (hour, minute) in [(0, 0), (6, 30), (23, 59), (24, 0), (7, 60)] {
                    let dd = day < 10 ? "0\(day)" : "\(day)", mm = month < 10 ? "0\(month)" : "\(month)"
                    let hh = hour < 10 ? "0\(hour)" : "\(hour)", mi = minute < 10 ? "0\(minute)" : "\(minute)"
                    let general = EventTime(parsing: "\(dd)/\(mm)/2028 \(hh):\(mi):00")
                    #expect(EventTime(parsing: "\(dd)/\(mm)/2028 \(hh):\(mi)") == general, "\(dd)/\(mm) \(hh):\(mi)")
                    #expect(EventTime(parsing: "2028-\(mm)-\(dd)T\(hh):\(mi)") == general, "\(dd)/\(mm) \(hh):\(mi)")
                }
            }
        }
        #expect(EventTime(parsing: "29/02/2028 23:59")?.utc == "2028-02-29T16:59:00.000Z")
        #expect(EventTime(parsing: "29/02/2027 23:59") == nil)
        for typed in ["28/10/2026T06:30", "2026/10/28 06:30", "28-10-2026 06:30", "28/10/2026 06h30", "2026-10-28 06:30"] {
            #expect(EventTime(parsing: typed) == EventTime(parsing: typed + ":00"), "\(typed)")
        }
    }

    @Test func neverReadsMonthFirstOrImpossibleTimes() {
        for typed in ["10/28/2026 06:30", "28/10/2026 24:00", "28/10/2026 06:60", "28/10/2026 06:30:61", "28/10/2026 6",
                      "28/10/2026 06:30+15:00", "28/10/2026 06:30 UTC", "31/02/2026 06:30", "hôm qua", "", "28/10/2026 ٠٦:٣٠"] {
            #expect(EventTime(parsing: typed) == nil, "\(typed)")
        }
    }

    @Test func readsEPCISTimesRoundingBelowTheMillisecondHalfToEven() throws {
        #expect(EventTime(parsing: "2022-02-16T20:33:31.116000-06:00")?.utc == "2022-02-17T02:33:31.116Z")
        #expect(EventTime(parsing: "2023-02-02T11:04:03.1415Z")?.utc == "2023-02-02T11:04:03.142Z")
        #expect(EventTime(parsing: "2023-02-02T11:04:03.1414Z")?.utc == "2023-02-02T11:04:03.141Z")
        #expect(EventTime(parsing: "2023-02-02T11:04:03.1425Z")?.utc == "2023-02-02T11:04:03.142Z")
        #expect(EventTime(parsing: "2023-02-12T11:04:03.1007Z")?.utc == "2023-02-12T11:04:03.101Z")
        #expect(EventTime(parsing: "2023-12-31T23:59:59.9996Z")?.utc == "2024-01-01T00:00:00.000Z")
        #expect(EventTime(parsing: "2023-01-11T12:00:00+01:00")?.utc == "2023-01-11T11:00:00.000Z")
        #expect(EventTime(parsing: "2026-11-21T10:00:00.250+07:00")?.eventTime == "2026-11-21T10:00:00.250+07:00")
    }

    @Test func ordersByInstantAndShowsTheLocalDay() throws {
        let hanoi = try #require(EventTime(parsing: "28/10/2026 06:30"))
        let utc = try #require(EventTime(parsing: "2026-10-27T23:30:00Z"))
        #expect(hanoi.millisecondsSinceEpoch == utc.millisecondsSinceEpoch)
        #expect(utc < hanoi)
        #expect(utc.localDate == CalendarDate(year: 2026, month: 10, day: 27))
        #expect(try #require(EventTime(parsing: "29/10/2026 00:00")) > hanoi)
    }

    @Test func diaryCellErrorSaysWhatToWrite() throws {
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.eventTime("10/28/2026 06:30") }
        do {
            _ = try FieldParsers.eventTime("sáng nay")
        } catch {
            #expect(error.message.hasPrefix("\"sáng nay\" is not a date and time: write 28/10/2026 06:30"))
        }
        #expect(try FieldParsers.eventTime("28/10/2026 06:30").timeZoneOffset == "+07:00")
    }
}
