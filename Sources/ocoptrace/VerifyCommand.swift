import ArgumentParser
import Foundation
import OCOPTrace

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify stamps: scanned URLs, typed stamp IDs, or a file of them; online or offline.",
        discussion: """
            Each input is judged genuine, revoked, unknown (never issued: fabricated), forged (bad or \
            stripped signature, fields that disagree with the record), malformed (not a stamp of ours), \
            or pending (its batch never completed). Against the registry, each verification is \
            recorded as a scan, and a serial verified too often or at two places is flagged as a \
            suspected copy. A carton's URL or SSCC (18 digits, "(00) …", or a carton code C…) \
            answers with the carton: its product, lot, count and shipments.

            With --pin, the PIN under the stamp's scratch-off film is checked for one input: the first \
            right PIN activates the stamp (exit 0); a PIN used before says when (a copy, exit 1).

            Exit status: 0 every input genuine, 1 any not, 64 wrong usage, 66 an input file or pack \
            cannot be read, 73 no registry.

            Examples:
              ocoptrace verify 'https://id.ocoptrace.vn/01/08938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA?11=261120&17=261127'
              ocoptrace verify 7K3Q-M9XW-2HPT-4RVA-C --inspector "QLTT Thanh Hóa" --location "Chợ Vườn Hoa"
              ocoptrace verify --file scanned.txt --json --no-record
              ocoptrace verify --image photo-of-stamp.jpg
              ocoptrace verify 'https://id.ocoptrace.vn/00/089387650000000008' --json
              ocoptrace verify --pin 7K3QM9XW 'https://id.ocoptrace.vn/01/08938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA?11=261120&17=261127'
              ocoptrace verify --offline --pack thanh-hoa.pack --public-key keys/Xq3b.pub --file -
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: ArgumentHelp("Stamp URLs or stamp IDs.", valueName: "input"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("A file with one input a line; - for standard input. Streamed, any size.", valueName: "file"))
    var file: String?

    @Option(name: .customLong("image"), parsing: .upToNextOption,
            help: ArgumentHelp("Photos or PNGs of stamps (PNG or JPEG): every QR code in each is verified.", valueName: "file"))
    var images: [String] = []

    @Flag(help: "Do not use the registry: decide with --pack and/or --public-key.")
    var offline = false

    @Option(help: ArgumentHelp("An offline pack made by `ocoptrace pack`.", valueName: "file"))
    var pack: String?

    @Option(name: .customLong("public-key"), help: ArgumentHelp("A public key file (.pub); repeat for several keys.", valueName: "file"))
    var publicKeys: [String] = []

    @Flag(help: "Do not record the verification as a scan (opens the registry read-only).")
    var noRecord = false

    @Option(help: ArgumentHelp("Who is verifying, recorded with the scan.", valueName: "name"))
    var inspector: String?

    @Option(help: ArgumentHelp("Where, recorded with the scan: two places for one serial flag a copy.", valueName: "place"))
    var location: String?

    @Option(help: ArgumentHelp("Flag a suspected copy when a serial has been verified more than this many times.", valueName: "n"))
    var cloneThreshold = 5

    @Option(help: ArgumentHelp("The PIN under the stamp's scratch-off film: checked (and the stamp activated) for one input, online only.",
                               valueName: "pin"))
    var pin: String?

    @Option(help: ArgumentHelp("The folder with the PIN key (pin-hmac.key) that `issue --scratch-pin` made.", valueName: "folder"))
    var keys = "keys"

    @Flag(help: "Print one JSON object per input (JSON Lines).")
    var json = false

    @Option(help: ArgumentHelp("Language of the text output: vi or en (default: from LANG).", valueName: "lang"))
    var lang: Language?

    func validate() throws {
        guard !inputs.isEmpty || file != nil || !images.isEmpty else {
            throw ValidationError("give stamp URLs or IDs, --image FILE..., or --file LIST (- for standard input)")
        }
        if offline {
            guard pack != nil || !publicKeys.isEmpty else { throw ValidationError("--offline needs --pack and/or --public-key") }
        } else if pack != nil || !publicKeys.isEmpty {
            throw ValidationError("--pack and --public-key are for --offline checks")
        }
        guard cloneThreshold >= 1 else { throw ValidationError("--clone-threshold must be at least 1") }
        if pin != nil {
            if offline {
                throw ValidationError("--pin needs the registry: a scratch-off PIN is checked (and used up) online only / mã PIN chỉ kiểm tra được khi kết nối sổ đăng ký, không kiểm tra ngoại tuyến")
            }
            guard inputs.count == 1, file == nil, images.isEmpty else { throw ValidationError("--pin checks one stamp: give exactly one URL or stamp ID") }
            guard !noRecord else { throw ValidationError("--pin records the activation: it cannot be used with --no-record") }
        }
    }

    func run() async throws {
        if offline {
            try await verifyOffline()
        } else {
            let printer = self.printer
            // --no-record opens the registry read-only: a check that changes nothing.
            try await registry.with(noRecord ? .readOnly : .readWrite) { store in
                let verifier = try await RegistryVerifier(store: store, options: VerifyOptions(
                    record: !noRecord, inspector: inspector, location: location, cloneThreshold: cloneThreshold))
                if let pin {
                    let check = ScratchPINCheck(store: store, key: try PINKey.required(folder: URL(fileURLWithPath: keys)))
                    try await verifyAll(printer: printer, packNote: nil) { batch in
                        let result = try await verifier.verify(batch[0], pin: pin, check: check)
                        return [(printer.format(result), result.isGenuine && result.pin?.state == .activated)]
                    }
                    return
                }
                try await verifyAll(printer: printer, packNote: nil) { batch in
                    // Cartons (an SSCC, a carton code, a carton's URL) are looked up; the stamps
                    // between them are verified together, in the order given.
                    var lines: [(line: String, genuine: Bool)] = []
                    var stamps: [String] = []
                    for input in batch + [""] {
                        let key = input.isEmpty ? nil : CartonInquiry.cartonKey(in: input)
                        if key == nil, !input.isEmpty {
                            stamps.append(input)
                            continue
                        }
                        if !stamps.isEmpty {
                            lines += try await verifier.verify(stamps).map { (printer.format($0), $0.isGenuine) }
                            stamps.removeAll()
                        }
                        if let key { lines.append(try await cartonLine(input, key, store: store)) }
                    }
                    return lines
                }
            }
        }
    }

    /// A carton's answer: its product, lot, count and shipments (text or JSON); unknown is not genuine.
    private func cartonLine(_ input: String, _ key: CartonKey, store: any RegistryStore) async throws -> (line: String, genuine: Bool) {
        let carton = try await CartonInquiry.lookUp(key, in: store)
        if json {
            let verdict = CartonInquiry.Verdict(input: input, verdict: carton == nil ? "unknown" : "carton", carton: carton)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (String(decoding: try encoder.encode(verdict), as: UTF8.self) + "\n", carton != nil)
        }
        guard let carton else { return ("\(input): no such carton in the registry (không có thùng \(key.text) trong sổ đăng ký)\n", false) }
        return (carton.text + "\n", true)
    }

    private var printer: VerdictPrinter { VerdictPrinter(language: lang ?? .fromEnvironment, json: json) }

    private func verifyOffline() async throws {
        let printer = self.printer
        var packNote: String?
        let keys = try publicKeys.map { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CatalogError.unreadable(file: path, reason: "cannot read the public key file")
            }
            do { return try PublicStampKey(fileText: text) } catch { throw CatalogError.unreadable(file: path, reason: "\(error)") }
        }
        var loaded: OfflinePack?
        if let pack {
            loaded = try OfflinePack(contentsOf: URL(fileURLWithPath: pack), publicKeys: keys)
            packNote = loaded.map { VerdictPrinter.packAge($0) }
        }
        let verifier = OfflineVerifier(pack: loaded, publicKeys: keys)
        try await verifyAll(printer: printer, packNote: packNote) { verifier.verify($0) { (printer.format($0), $0.isGenuine) } }
    }

    /// Verifies every input (arguments, images, the file), a batch at a time, and prints each
    /// verdict; throws the exit status when any is not genuine.
    private func verifyAll(printer: VerdictPrinter, packNote: String?,
                           _ verify: @escaping ([String]) async throws -> [(line: String, genuine: Bool)]) async throws {
        if let packNote, !json { FileHandle.standardError.write(Data((packNote + "\n").utf8)) }
        var allGenuine = true
        // Verdicts already printed go out before whatever error ends the run.
        defer { printer.flush() }
        let handle = { (batch: [String]) async throws in
            for result in try await verify(batch) {
                allGenuine = allGenuine && result.genuine
                printer.write(result.line)
            }
        }
        if !inputs.isEmpty { try await handle(inputs) }
        for image in images {
            let texts = try QRImageReader.decode(path: image)
            if texts.isEmpty {
                let result = StampJudge(publicKeys: [], mode: offline ? .offline : .registry)
                    .malformed(image, .noQRCode)
                allGenuine = false
                printer.print(result)
            } else {
                try await handle(texts)
            }
        }
        if let file {
            try await LineReader.forEachBatch(path: file, batchSize: 8192, handle)
        }
        if !allGenuine { throw ExitCodes.rejected }
    }
}

/// Reads a file (or standard input) a batch of lines at a time, whatever its size.
enum LineReader {
    static func forEachBatch(path: String, batchSize: Int, _ body: ([String]) async throws -> Void) async throws {
        let handle: FileHandle
        if path == "-" {
            handle = .standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: path) else {
                throw CatalogError.unreadable(file: path, reason: "no such file, or not readable")
            }
            handle = opened
        }
        var carry: [UInt8] = []
        var batch: [String] = []
        batch.reserveCapacity(batchSize)
        var atEnd = false
        while !atEnd {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            atEnd = chunk.isEmpty
            var bytes = carry
            bytes.append(contentsOf: chunk)
            var start = 0
            var index = 0
            let count = bytes.count
            while index < count {
                if bytes[index] == 0x0A || (atEnd && index == count - 1) {
                    var end = bytes[index] == 0x0A ? index : index + 1
                    if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                    // Blank lines are skipped; anything else, however odd, is an input.
                    if bytes[start..<end].contains(where: { $0 > 0x20 }) {
                        batch.append(String(decoding: bytes[start..<end], as: UTF8.self))
                        if batch.count >= batchSize {
                            try await body(batch)
                            batch.removeAll(keepingCapacity: true)
                        }
                    }
                    start = index + 1
                }
                index += 1
            }
            carry = start < count ? Array(bytes[start...]) : []
        }
        if !batch.isEmpty { try await body(batch) }
    }
}
