extension BusinessStep {
    /// The step's name on Vietnamese and English pages, for events that carry no stage word of
    /// ours (a partner's `retail_selling` reads "Bán lẻ / Sold at retail"); nil for a URI outside
    /// CBV 2.0 and our vocabulary. Our own steps read as the ``ProductionStage`` that uses them.
    public var names: (vietnamese: String, english: String)? {
        switch self {
        case .cbv(let word): BusinessStep.cbvNames[word]
        case .ocoptrace:
            ProductionStage.allCases.first { $0.businessStep == self }.map { ($0.vietnameseName, $0.englishName) }
        case .other: nil
        }
    }

    /// The 41 CBV 2.0 steps in Vietnamese and English (the English after CBV 2.0's definitions).
    static let cbvNames: [String: (vietnamese: String, english: String)] = [
        "accepting": ("Chấp nhận hàng", "Accepted"),
        "arriving": ("Đến nơi", "Arrived"),
        "assembling": ("Lắp ráp", "Assembled"),
        "collecting": ("Thu gom", "Collected"),
        "commissioning": ("Tạo mã", "Commissioned"),
        "consigning": ("Ký gửi", "Consigned"),
        "creating_class_instance": ("Sản xuất theo lô", "Produced"),
        "cycle_counting": ("Kiểm đếm", "Cycle count"),
        "decommissioning": ("Hủy mã", "Decommissioned"),
        "departing": ("Rời đi", "Departed"),
        "destroying": ("Tiêu hủy", "Destroyed"),
        "disassembling": ("Tháo rời", "Disassembled"),
        "dispensing": ("Chia lẻ", "Dispensed"),
        "encoding": ("Ghi mã", "Encoded"),
        "entering_exiting": ("Ra vào", "Entered or left"),
        "holding": ("Tạm giữ", "Held"),
        "inspecting": ("Kiểm tra", "Inspection"),
        "installing": ("Lắp đặt", "Installed"),
        "killing": ("Vô hiệu thẻ", "Tag killed"),
        "loading": ("Xếp lên xe", "Loaded"),
        "other": ("Khác", "Other"),
        "packing": ("Đóng gói", "Packing"),
        "picking": ("Lấy hàng", "Picked"),
        "receiving": ("Nhận hàng", "Received"),
        "removing": ("Lấy ra", "Removed"),
        "repackaging": ("Đóng gói lại", "Repackaged"),
        "repairing": ("Sửa chữa", "Repaired"),
        "replacing": ("Thay thế", "Replaced"),
        "reserving": ("Đặt trước", "Reserved"),
        "retail_selling": ("Bán lẻ", "Sold at retail"),
        "sampling": ("Lấy mẫu", "Sampled"),
        "sensor_reporting": ("Ghi nhận cảm biến", "Sensor reading"),
        "shipping": ("Xuất hàng", "Shipped"),
        "staging_outbound": ("Chuẩn bị xuất", "Staged for shipping"),
        "stock_taking": ("Kiểm kê", "Stocktaking"),
        "stocking": ("Lên kệ", "Shelved"),
        "storing": ("Lưu kho", "Stored"),
        "transporting": ("Vận chuyển", "Transported"),
        "unloading": ("Dỡ hàng", "Unloaded"),
        "unpacking": ("Mở thùng", "Unpacked"),
        "void_shipping": ("Hủy xuất hàng", "Shipment voided"),
    ]
}
