import CCairo
import Foundation

/// What one label shows.
public struct LabelContent: Sendable {
    public var matrix: QRMatrix
    public var stampID: String
    public var productName: String
    public var producer: String
    public var lot: String
    public var producedOn: CalendarDate?
    public var expiresOn: CalendarDate?
    /// Shown only when the recognition is valid on the printing day.
    public var ocopStars: Int?
    /// The scratch-off PIN, printed in a marked box beside the QR code (never over it).
    public var pin: String? = nil
}

/// A PDF of label sheets drawn with cairo: vector QR codes (sharp at any size) and Vietnamese text
/// in DejaVu Sans (found through fontconfig). Owns its cairo surface and context; pages are written
/// out as they are finished, so memory stays flat however many labels there are.
final class LabelSheet {
    private let surface: OpaquePointer
    /// The context drawn into: the sheet's, or a form's while one is being made.
    private var context: OpaquePointer
    private let sheetContext: OpaquePointer
    /// The text column form of the current batch, with what it shows.
    private var textForm: (key: String, surface: OpaquePointer?)?
    let layout: LabelLayout
    private var slot = 0
    private var finished = false
    /// Wrapped lines by text, font and width: a batch's labels differ only in their QR and ID.
    private var wrapped: [String: [String]] = [:]

    static let pointsPerMillimetre = 72.0 / 25.4
    /// The smallest QR module phones read reliably from a printed label.
    static let minimumModule = 0.25
    static let callToScan = "Quét mã QR để truy xuất nguồn gốc"
    static let font = "DejaVu Sans"

    /// - Parameter secretFile: the sheet prints secrets (scratch-off PINs), so the file is created
    ///   0600 before cairo opens it, as `pins.csv` is: a PDF with every PIN must be no easier to read.
    init(path: String, layout: LabelLayout, secretFile: Bool = false) throws {
        self.layout = layout
        let points = LabelSheet.pointsPerMillimetre
        if secretFile {
            // cairo opens the file with fopen("wb"), which keeps an existing file's mode.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
            fchmod(descriptor, 0o600)
            close(descriptor)
        }
        guard let surface = cairo_pdf_surface_create(path, layout.pageWidth * points, layout.pageHeight * points) else {
            throw FileWriteError(path: path, reason: "cairo could not create the PDF")
        }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            let reason = String(cString: cairo_status_to_string(cairo_surface_status(surface)))
            cairo_surface_destroy(surface)
            throw FileWriteError(path: path, reason: reason)
        }
        self.surface = surface
        self.context = context
        sheetContext = context
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "ocoptrace")
        // Work in millimetres.
        cairo_scale(context, points, points)
        LabelSheet.unhinted(context)
    }

    deinit {
        if !finished { cairo_surface_finish(surface) }
        if let form = textForm?.surface { cairo_surface_destroy(form) }
        cairo_destroy(sheetContext)
        cairo_surface_destroy(surface)
    }

    /// The QR module size a matrix of `width` modules gets on this layout's labels.
    static func moduleSize(for width: Int, layout: LabelLayout, quietZone: Int) -> Double {
        geometry(layout).qrSide / Double(width + 2 * quietZone)
    }

    private struct Geometry {
        var padding: Double
        var qrSide: Double
        var fontSize: Double
        var lineHeight: Double
    }

    private static func geometry(_ layout: LabelLayout) -> Geometry {
        let padding = min(1.2, layout.labelHeight * 0.05)
        // Font size in millimetres (1 pt = 0.353 mm): about 4 pt on small stickers, 7 pt on large ones.
        let fontSize = max(1.3, min(2.5, layout.labelHeight * 0.07))
        let lineHeight = fontSize * 1.2
        let qrSide = max(0, min(layout.labelHeight - 2 * padding - lineHeight, layout.labelWidth * 0.5))
        return Geometry(padding: padding, qrSide: qrSide, fontSize: fontSize, lineHeight: lineHeight)
    }

    func add(_ label: LabelContent, quietZone: Int) throws {
        if slot == layout.labelsPerPage {
            cairo_show_page(context)
            slot = 0
        }
        let column = slot % layout.columns
        let row = slot / layout.columns
        let x = layout.marginLeft + Double(column) * (layout.labelWidth + layout.gapX)
        let y = layout.marginTop + Double(row) * (layout.labelHeight + layout.gapY)
        draw(label, x: x, y: y, quietZone: quietZone)
        slot += 1
    }

    private func draw(_ label: LabelContent, x: Double, y: Double, quietZone: Int) {
        let geometry = LabelSheet.geometry(layout)
        let padding = geometry.padding
        let module = geometry.qrSide / Double(label.matrix.width + 2 * quietZone)
        // The QR code: runs of dark modules as rectangles in a form of its own, drawn in whole
        // modules and scaled onto the label. Integer coordinates keep the PDF small and quick to
        // write; the code stays vector, sharp at any print size. The quiet zone stays white.
        let width = label.matrix.width
        var extents = cairo_rectangle_t(x: 0, y: 0, width: Double(width), height: Double(width))
        if let form = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents) {
            if let formContext = cairo_create(form) {
                cairo_set_source_rgb(formContext, 0, 0, 0)
                for rectangle in LabelSheet.rectangles(label.matrix) {
                    cairo_rectangle(formContext, Double(rectangle.x), Double(rectangle.y), Double(rectangle.width), Double(rectangle.height))
                }
                cairo_fill(formContext)
                cairo_destroy(formContext)
            }
            cairo_save(context)
            cairo_translate(context, x + padding + Double(quietZone) * module, y + padding + Double(quietZone) * module)
            cairo_scale(context, module, module)
            cairo_set_source_surface(context, form, 0, 0)
            cairo_paint(context)
            cairo_restore(context)
            cairo_surface_destroy(form)
        }

        // The stamp ID under the QR code, for people to type.
        let qrLeft = x + padding
        cairo_select_font_face(context, LabelSheet.font, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD)
        let idSize = fitSize(label.stampID, maximum: geometry.fontSize, width: geometry.qrSide)
        cairo_set_font_size(context, idSize)
        let idWidth = textWidth(label.stampID)
        show(label.stampID, x: qrLeft + (geometry.qrSide - idWidth) / 2, baseline: y + padding + geometry.qrSide + geometry.lineHeight * 0.85)

        // The text column is the same on every label of a batch: drawn once into a form, which the
        // PDF then holds once and places on each label.
        let key = [label.productName, label.producer, label.lot, label.producedOn?.iso ?? "", label.expiresOn?.iso ?? "",
                   label.ocopStars.map(String.init) ?? "", label.pin == nil ? "" : "pin"].joined(separator: "\u{1F}")
        if textForm?.key != key {
            if let old = textForm?.surface { cairo_surface_destroy(old) }
            textForm = (key, makeTextForm(label, geometry: geometry))
        }
        if let form = textForm?.surface {
            cairo_save(context)
            cairo_translate(context, x, y)
            cairo_set_source_surface(context, form, 0, 0)
            cairo_paint(context)
            cairo_restore(context)
        }
        if let pin = label.pin { drawPINBox(pin, x: x, y: y, geometry: geometry) }
    }

    /// The scratch-off box of a PIN label: the bottom of the text column, right of the QR code
    /// (the film never covers the code), a dashed frame marked "CÀO · SCRATCH", the PIN inside in
    /// bold capitals exactly as `pins.csv` has it.
    private static func pinBox(_ layout: LabelLayout, _ geometry: Geometry) -> (x: Double, y: Double, width: Double, height: Double) {
        let left = geometry.padding * 2 + geometry.qrSide
        let width = max(0, layout.labelWidth - left - geometry.padding)
        let height = min(geometry.lineHeight * 2.6, layout.labelHeight - 2 * geometry.padding)
        return (left, layout.labelHeight - geometry.padding - height, width, height)
    }

    static let pinBoxMark = "CÀO · SCRATCH"

    private func drawPINBox(_ pin: String, x: Double, y: Double, geometry: Geometry) {
        let box = LabelSheet.pinBox(layout, geometry)
        guard box.width > 2, box.height > 1 else { return }
        cairo_save(context)
        cairo_set_source_rgb(context, 0, 0, 0)
        cairo_set_line_width(context, 0.2)
        var dashes = [0.8, 0.5]
        cairo_set_dash(context, &dashes, 2, 0)
        cairo_rectangle(context, x + box.x, y + box.y, box.width, box.height)
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
        let inset = min(0.5, box.width * 0.05)
        cairo_select_font_face(context, LabelSheet.font, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        let markSize = fitSize(LabelSheet.pinBoxMark, maximum: box.height * 0.28, width: box.width - 2 * inset)
        cairo_set_font_size(context, markSize)
        show(LabelSheet.pinBoxMark, x: x + box.x + inset, baseline: y + box.y + inset + markSize * 0.8)
        cairo_select_font_face(context, LabelSheet.font, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD)
        let pinSize = fitSize(pin, maximum: box.height * 0.5, width: box.width - 2 * inset)
        cairo_set_font_size(context, pinSize)
        let pinWidth = textWidth(pin)
        show(pin, x: x + box.x + (box.width - pinWidth) / 2, baseline: y + box.y + box.height - inset - pinSize * 0.15)
        cairo_restore(context)
    }

    /// The text column of a label, in a recording surface with the label's top-left at the origin.
    private func makeTextForm(_ label: LabelContent, geometry: Geometry) -> OpaquePointer? {
        var extents = cairo_rectangle_t(x: 0, y: 0, width: layout.labelWidth, height: layout.labelHeight)
        guard let form = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents) else { return nil }
        guard let formContext = cairo_create(form) else { return form }
        defer { cairo_destroy(formContext) }
        let outer = context
        context = formContext
        defer { context = outer }
        cairo_set_source_rgb(formContext, 0, 0, 0)
        LabelSheet.unhinted(formContext)
        let x = 0.0
        let y = 0.0
        let padding = geometry.padding
        let qrLeft = x + padding
        // The text column.
        let textX = qrLeft + geometry.qrSide + padding
        let textWidth = x + layout.labelWidth - padding - textX
        guard textWidth > 3 else { return form }
        var lines: [(text: String, bold: Bool, size: Double)] = []
        let size = geometry.fontSize
        let small = size * 0.85
        cairo_select_font_face(context, LabelSheet.font, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD)
        cairo_set_font_size(context, size)
        for line in wrap(label.productName, width: textWidth, maxLines: 2) { lines.append((line, true, size)) }
        cairo_select_font_face(context, LabelSheet.font, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, small)
        for line in wrap(label.producer, width: textWidth, maxLines: 1) { lines.append((line, false, small)) }
        for line in wrap("Lô: " + label.lot, width: textWidth, maxLines: 1) { lines.append((line, false, small)) }
        if let produced = label.producedOn { lines.append(("NSX: " + produced.vietnamese, false, small)) }
        if let expires = label.expiresOn { lines.append(("HSD: " + expires.vietnamese, false, small)) }
        if let stars = label.ocopStars { lines.append(("OCOP " + String(repeating: "★", count: stars), true, small)) }
        // A PIN label keeps the bottom of the column for the scratch-off box.
        let available = layout.labelHeight - 2 * padding - (label.pin == nil ? 0 : LabelSheet.pinBox(layout, geometry).height + padding)
        let callLines = wrap(LabelSheet.callToScan, width: textWidth, maxLines: 2)
        // Drop the least important lines if the label is too short, the call to scan last.
        while Double(lines.count + callLines.count) * geometry.lineHeight > available, lines.count > 2 {
            lines.remove(at: lines.count - 1)
        }
        var baseline = y + padding + geometry.lineHeight * 0.85
        for line in lines {
            cairo_select_font_face(context, LabelSheet.font, CAIRO_FONT_SLANT_NORMAL, line.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
            cairo_set_font_size(context, line.size)
            show(line.text, x: textX, baseline: baseline)
            baseline += geometry.lineHeight
        }
        cairo_select_font_face(context, LabelSheet.font, CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, small)
        let bottom = y + layout.labelHeight - (label.pin == nil ? 0 : LabelSheet.pinBox(layout, geometry).height + padding)
        var callBaseline = bottom - padding - geometry.lineHeight * 0.25 - Double(callLines.count - 1) * geometry.lineHeight
        callBaseline = max(callBaseline, baseline)
        for line in callLines {
            show(line, x: textX, baseline: callBaseline)
            callBaseline += geometry.lineHeight
        }
        return form
    }

    /// Glyph advances exactly as designed: hinting rounds them to whole device units, and in a form
    /// drawn in millimetres a unit is a whole millimetre.
    private static func unhinted(_ context: OpaquePointer) {
        guard let options = cairo_font_options_create() else { return }
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }

    /// The dark modules as few rectangles: runs along each row, and a run repeated exactly in the
    /// rows below it grown into one taller rectangle. Fewer path elements make a smaller PDF, faster.
    static func rectangles(_ matrix: QRMatrix) -> [(x: Int, y: Int, width: Int, height: Int)] {
        func dark(_ row: Int, _ column: Int) -> Bool { matrix[row, column] }
        var done: [(x: Int, y: Int, width: Int, height: Int)] = []
        var open: [Int: (y: Int, width: Int, height: Int)] = [:]  // by start column
        for row in 0..<matrix.width {
            var runs: [Int: Int] = [:]
            var column = 0
            while column < matrix.width {
                guard dark(row, column) else { column += 1; continue }
                let start = column
                while column < matrix.width, dark(row, column) { column += 1 }
                runs[start] = column - start
            }
            for (start, rectangle) in open {
                if runs[start] == rectangle.width {
                    open[start]!.height += 1
                    runs[start] = nil
                } else {
                    done.append((start, rectangle.y, rectangle.width, rectangle.height))
                    open[start] = nil
                }
            }
            for (start, width) in runs { open[start] = (row, width, 1) }
        }
        for (start, rectangle) in open { done.append((start, rectangle.y, rectangle.width, rectangle.height)) }
        return done
    }

    private func show(_ text: String, x: Double, baseline: Double) {
        cairo_move_to(context, x, baseline)
        cairo_show_text(context, text)
    }

    private func textWidth(_ text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// The largest size up to `maximum` at which `text` fits `width`.
    private func fitSize(_ text: String, maximum: Double, width: Double) -> Double {
        cairo_set_font_size(context, maximum)
        let natural = textWidth(text)
        return natural <= width ? maximum : maximum * width / natural
    }

    /// `text` broken at spaces into at most `maxLines` lines of `width`; what does not fit ends in "…",
    /// cut between characters (never inside a Vietnamese letter, which is one character in NFC).
    private func wrap(_ text: String, width: Double, maxLines: Int) -> [String] {
        var fontMatrix = cairo_matrix_t()
        cairo_get_font_matrix(context, &fontMatrix)
        let key = "\(text)\u{1F}\(width)\u{1F}\(maxLines)\u{1F}\(fontMatrix.xx)\u{1F}\(String(cString: cairo_toy_font_face_get_family(cairo_get_font_face(context))))\u{1F}\(cairo_toy_font_face_get_weight(cairo_get_font_face(context)).rawValue)\u{1F}\(cairo_toy_font_face_get_slant(cairo_get_font_face(context)).rawValue)"
        if let known = wrapped[key] { return known }
        let lines = wrapUncached(text, width: width, maxLines: maxLines)
        wrapped[key] = lines
        return lines
    }

    private func wrapUncached(_ text: String, width: Double, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        let words = text.split(separator: " ").map(String.init)
        var index = 0
        while index < words.count {
            let candidate = current.isEmpty ? words[index] : current + " " + words[index]
            if textWidth(candidate) <= width {
                current = candidate
                index += 1
                continue
            }
            if current.isEmpty {
                // One word wider than the line: cut it.
                current = shorten(words[index], width: width, ellipsis: false)
                index += 1
            }
            lines.append(current)
            current = ""
            if lines.count == maxLines { break }
        }
        if lines.count < maxLines, !current.isEmpty {
            lines.append(current)
        } else if index < words.count || !current.isEmpty, !lines.isEmpty {
            lines[lines.count - 1] = shorten(lines[lines.count - 1] + " " + words[min(index, words.count - 1)...].joined(separator: " "),
                                             width: width, ellipsis: true)
        }
        return lines
    }

    private func shorten(_ text: String, width: Double, ellipsis: Bool) -> String {
        var characters = Array(text)
        let suffix = ellipsis ? "…" : ""
        while !characters.isEmpty, textWidth(String(characters) + suffix) > width { characters.removeLast() }
        while characters.last == " " { characters.removeLast() }
        return String(characters) + suffix
    }

    /// Writes the last page and closes the file.
    func finish() throws {
        if slot > 0 { cairo_show_page(context) }
        cairo_surface_finish(surface)
        finished = true
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw FileWriteError(path: "labels PDF", reason: String(cString: cairo_status_to_string(status)))
        }
    }
}
