import CXlsxWriter
import Foundation

/// A one-sheet xlsx workbook written with libxlsxwriter, which owns its pointers here: the
/// workbook is created in `init` and closed (written) by `close()`, or on release. Constant-memory
/// mode: each row goes to a temporary file once the next begins, so rows must come in order, and
/// memory stays flat however many there are.
final class XLSXWorkbook {
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    private let bold: UnsafeMutablePointer<lxw_format>?
    private let path: String

    init(path: String, sheetName: String) throws {
        self.path = path
        var options = lxw_workbook_options(constant_memory: 1, tmpdir: nil, use_zip64: 0)
        guard let workbook = workbook_new_opt(path, &options) else {
            throw FileWriteError(path: path, reason: "libxlsxwriter could not create the workbook")
        }
        guard let sheet = workbook_add_worksheet(workbook, sheetName) else {
            workbook_close(workbook)
            throw FileWriteError(path: path, reason: "libxlsxwriter could not add a sheet")
        }
        self.workbook = workbook
        self.sheet = sheet
        bold = workbook_add_format(workbook)
        format_set_bold(bold)
    }

    deinit {
        if let workbook { workbook_close(workbook) }
    }

    func write(row: Int, column: Int, _ text: String, bold isBold: Bool = false) {
        worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), text, isBold ? bold : nil)
    }

    func write(row: Int, column: Int, _ number: Double) {
        worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), number, nil)
    }

    func close() throws {
        guard let workbook else { return }
        self.workbook = nil
        let status = workbook_close(workbook)
        guard status == LXW_NO_ERROR else {
            throw FileWriteError(path: path, reason: String(cString: lxw_strerror(status)))
        }
    }
}
