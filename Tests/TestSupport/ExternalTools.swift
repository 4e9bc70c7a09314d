import Foundation

/// Independent tools the tests check the product against: zbarimg (zbar-tools) decodes QR codes,
/// biip (Python) parses GS1 Digital Link URIs. `scripts/setup.sh` installs both.
public enum ExternalTools {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs a program found on PATH and returns its standard output.
    public static func run(_ program: String, _ arguments: [String], input: String? = nil, allowedStatuses: Set<Int32> = [0]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardInput = stdin
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard allowedStatuses.contains(process.terminationStatus) else {
            throw Failure(description: "\(program) exited \(process.terminationStatus): \(String(decoding: data, as: UTF8.self).prefix(2000))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes every QR code in the given images with zbarimg: image path → decoded texts.
    public static func decodeQR(_ paths: [String]) throws -> [String: [String]] {
        var decoded: [String: [String]] = [:]
        // zbarimg --xml names each source image; batches keep command lines short.
        for start in stride(from: 0, to: paths.count, by: 200) {
            let batch = Array(paths[start..<min(start + 200, paths.count)])
            // QR only: with every symbology on, zbar now and then reads a GS1 DataBar into the
            // modules of a random serial's QR code (seen once in CI-like runs).
            let xml = try run("zbarimg", ["--xml", "-q", "-Sdisable", "-Sqrcode.enable"] + batch, allowedStatuses: [0, 4])
            var current: String?
            for line in xml.split(separator: "\n") {
                if let range = line.range(of: "<source href='") {
                    let rest = line[range.upperBound...]
                    current = rest.firstIndex(of: "'").map { String(rest[..<$0]) }
                } else if let range = line.range(of: "<data><![CDATA["), let current {
                    let rest = line[range.upperBound...]
                    if let end = rest.range(of: "]]></data>") {
                        decoded[current, default: []].append(String(rest[..<end.lowerBound]))
                    }
                }
            }
        }
        return decoded
    }

    /// Checks URLs with biip; returns the element strings (AI → value) it found in each.
    public static func gs1ElementStrings(_ urls: [String]) throws -> [[String: String]] {
        let script = repositoryRoot.appendingPathComponent("Tests/Tools/check_digital_link.py").path
        let output = try run("python3", [script], input: urls.joined(separator: "\n") + "\n")
        return try output.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return object["elements"] as? [String: String] ?? [:]
        }
    }
}
