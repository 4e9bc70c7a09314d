import Foundation

/// A PIN batch's PINs on disk, the only place they exist in clear: `pins.csv` in the batch folder
/// (mode 0600; `stamp_id,url,pin`, in stamp order; written by ``BatchRenderer`` in the same pass as
/// the manifest) for the label printer, and, while the batch is
/// being issued, `.pins-drawn.csv` beside it, to which each chunk's PINs are written before the
/// chunk is stored, so that a run killed between the two leaves no stored stamp whose PIN is gone.
/// The drawn file is synced to disk once, after the last chunk (``DrawnPINs/sync()``), and
/// `pins.csv` durably, both before the commit that marks the batch issued: a power cut never leaves
/// a live stamp whose PIN was lost (one that interrupts the filling may cost the pending batch its
/// PINs, which a rerun reports: revoke and reissue). The registry keeps only their keyed hashes
/// (``PINKey``).
public enum PINFile {
    public static let fileName = "pins.csv"
    static let drawnFileName = ".pins-drawn.csv"
    public static let header = "stamp_id,url,pin"

    /// Appends drawn PINs (`serial,pin` lines) to the batch folder's drawn file, synced to disk.
    static func appendDrawn(_ pins: [(serial: Serial, pin: ScratchPIN)], folder: URL) throws {
        let drawn = try DrawnPINs(folder: folder)
        try drawn.append(pins)
        try drawn.sync()
    }

    /// The batch folder's drawn file, open for appending while a batch is filled: each chunk's PINs
    /// are written (one `write` a chunk) before the chunk is stored, and the file is synced once
    /// at the end, instead of once a chunk.
    final class DrawnPINs: @unchecked Sendable {
        // @unchecked: the descriptor is set once; one task appends, and syncs (or hands the sync
        // to one thread) only after its last append.
        let path: String
        private let descriptor: Int32

        init(folder: URL) throws {
            try AtomicFileWriter.createFolder(folder)
            path = folder.appendingPathComponent(drawnFileName).path
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        }

        deinit { close(descriptor) }

        /// Writes `serial,pin` lines: in the file (the kernel's) when this returns, so a killed
        /// run keeps them; on the disk after ``sync()``.
        func append(_ pins: [(serial: Serial, pin: ScratchPIN)]) throws {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(pins.count * (Serial.length + ScratchPIN.length + 2))
            for entry in pins {
                bytes.append(contentsOf: entry.serial.text.utf8)
                bytes.append(UInt8(ascii: ","))
                bytes.append(contentsOf: entry.pin.text.utf8)
                bytes.append(UInt8(ascii: "\n"))
            }
            try AtomicFileWriter.writeAll(bytes, to: descriptor, path: path)
        }

        /// Waits for the disk to hold everything appended.
        func sync() throws {
            guard fsync(descriptor) == 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        }
    }

    /// Every PIN known in the folder: from the drawn file and a `pins.csv` written before, by serial.
    static func knownPINs(folder: URL) -> PINTable {
        var pins = PINTable()
        if let drawn = try? Data(contentsOf: folder.appendingPathComponent(drawnFileName)) {
            // Bytes, not Characters: a million lines of ASCII.
            pins.reserve(drawn.count / 26)
            drawn.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                for line in raw.split(separator: 0x0A) {
                    guard let comma = line.firstIndex(of: 0x2C) else { continue }
                    var pin = line[(comma + 1)...]
                    if pin.last == 0x0D { pin = pin.dropLast() }
                    pins.set(serial: UnsafeRawBufferPointer(rebasing: line[..<comma]), pin: UnsafeRawBufferPointer(rebasing: pin))
                }
            }
        }
        if let written = try? read(folder.appendingPathComponent(fileName)) {
            for row in written {
                if let serial = row.serial { pins.set(serial: serial.text, pin: row.pin.text) }
            }
        }
        return pins
    }

    /// Removes the drawn file once the batch is issued and `pins.csv` holds every PIN.
    static func removeDrawn(folder: URL) {
        unlink(folder.appendingPathComponent(drawnFileName).path)
    }

    /// One row of a `pins.csv`.
    public struct Row: Sendable, Hashable {
        public var stampID: String
        public var url: String
        public var pin: ScratchPIN

        /// The serial of the row's URL.
        var serial: Serial? { VerificationInput(url).serial }
    }

    /// Reads a `pins.csv`: an error names the file, the line and what is wrong.
    public static func read(_ url: URL) throws -> [Row] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw PINFileError(file: InputFiles.displayPath(url), line: nil, reason: ErrorText.describe(error))
        }
        var rows: [Row] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { continue }
            if index == 0 {
                guard line.trimmingCharacters(in: .whitespaces).lowercased() == header else {
                    throw PINFileError(file: InputFiles.displayPath(url), line: 1, reason: "the header must be \(header)")
                }
                continue
            }
            let first = line.firstIndex(of: ","), last = line.lastIndex(of: ",")
            guard let first, let last, first < last else {
                throw PINFileError(file: InputFiles.displayPath(url), line: index + 1, reason: "expected three columns: \(header)")
            }
            var urlText = String(line[line.index(after: first)..<last])
            if urlText.hasPrefix("\""), urlText.hasSuffix("\""), urlText.count >= 2 {
                urlText = String(urlText.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
            }
            guard let pin = ScratchPIN.normalised(String(line[line.index(after: last)...])) else {
                throw PINFileError(file: InputFiles.displayPath(url), line: index + 1, reason: "column pin is not a PIN of \(ScratchPIN.length) characters")
            }
            rows.append(Row(stampID: String(line[..<first]), url: urlText, pin: pin))
        }
        return rows
    }
}

/// A `pins.csv` that cannot be used, with where.
public struct PINFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String

    public var description: String { "\(file)\(line.map { ", line \($0)" } ?? ""): \(reason)" }
}

/// PINs by serial, as issuing reads them back to write `pins.csv`: a serial (16 characters of
/// Crockford's base32) packed into 80 bits and a PIN (8 of them) into 40, so that a million of them
/// cost a dictionary of integers instead of two million strings; anything else is kept as text.
struct PINTable: Sendable {
    private struct PackedSerial: Hashable {
        var high: UInt64
        var low: UInt64
    }

    private var packed: [PackedSerial: UInt64] = [:]
    private var other: [String: String] = [:]
    /// The PINs of sequences 1, 2, ... in order, as a run that filled the batch from empty drew and
    /// stored them: found by position (and checked against the serial) instead of hashed.
    private var ordered: [(serial: PackedSerial, pin: UInt64)] = []

    mutating func reserve(_ count: Int) { packed.reserveCapacity(count) }

    /// `characters` of base32 as bits, five a character; nil when one is not in the alphabet.
    private static func bits(_ bytes: some Collection<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for byte in bytes {
            let digit = Serial.values[Int(byte)]
            guard digit >= 0 else { return nil }
            value = value << 5 | UInt64(digit)
        }
        return value
    }

    private static func packedSerial(_ bytes: some Collection<UInt8>) -> PackedSerial? {
        guard bytes.count == Serial.length, let high = bits(bytes.prefix(8)), let low = bits(bytes.dropFirst(8)) else { return nil }
        return PackedSerial(high: high, low: low)
    }

    mutating func set(serial: UnsafeRawBufferPointer, pin: UnsafeRawBufferPointer) {
        if pin.count == ScratchPIN.length, let key = Self.packedSerial(serial), let value = Self.bits(pin) {
            packed[key] = value
        } else {
            other[String(decoding: serial, as: UTF8.self)] = String(decoding: pin, as: UTF8.self)
        }
    }

    mutating func set(serial: String, pin: String) {
        var serial = serial, pin = pin
        serial.withUTF8 { serialBytes in pin.withUTF8 { pinBytes in set(serial: UnsafeRawBufferPointer(serialBytes), pin: UnsafeRawBufferPointer(pinBytes)) } }
    }

    /// A table of the PINs of sequences 1, 2, ..., given in order with ``appendInOrder(_:)``.
    static func inOrder(capacity: Int) -> PINTable {
        var table = PINTable()
        table.ordered.reserveCapacity(capacity)
        return table
    }

    /// Adds the PINs of the next sequences, in order; false (and nothing added) when a serial or PIN
    /// is not of the alphabet.
    mutating func appendInOrder(_ pins: [(serial: Serial, pin: ScratchPIN)]) -> Bool {
        var added: [(serial: PackedSerial, pin: UInt64)] = []
        added.reserveCapacity(pins.count)
        for entry in pins {
            var serial = entry.serial.text, pin = entry.pin.text
            guard let key = serial.withUTF8({ Self.packedSerial($0) }), let value = pin.withUTF8({ Self.bits($0) }) else { return false }
            added.append((key, value))
        }
        ordered.append(contentsOf: added)
        return true
    }

    subscript(serial: Serial) -> String? {
        var text = serial.text
        let key = text.withUTF8 { Self.packedSerial($0) }
        guard let key, let value = packed[key] else { return other[serial.text] }
        return Self.pinText(value)
    }

    /// The PIN of the stamp of this sequence and serial: by position when the table holds the
    /// batch's PINs in order (and the serial there is this one), else by serial.
    subscript(sequence: Int, serial: Serial) -> String? {
        if ordered.indices.contains(sequence - 1) {
            var text = serial.text
            if let key = text.withUTF8({ Self.packedSerial($0) }), ordered[sequence - 1].serial == key {
                return Self.pinText(ordered[sequence - 1].pin)
            }
        }
        return self[serial]
    }

    private static func pinText(_ value: UInt64) -> String {
        var characters = [UInt8](repeating: 0, count: ScratchPIN.length)
        var rest = value
        for index in stride(from: ScratchPIN.length - 1, through: 0, by: -1) {
            characters[index] = Serial.alphabet[Int(rest & 31)]
            rest >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
