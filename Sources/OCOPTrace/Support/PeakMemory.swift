import Foundation

/// The process's own peak resident memory, for benchmarks.
///
/// A parent cannot read it from `wait4`: Linux folds the spawning process's memory into the child's
/// `ru_maxrss` across `exec`. `VmHWM` in `/proc/self/status` belongs to the new program alone.
public enum PeakMemory {
    /// The environment variable naming a file that the peak is written to at exit.
    public static let reportVariable = "OCOPTRACE_PEAK_RSS_FILE"

    /// Peak resident set size in KiB, or nil where `/proc` is not there.
    public static func peakResidentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst("VmHWM:".count).filter(\.isNumber))
        }
        return nil
    }

    /// Writes the peak to the file the environment names, if it names one.
    public static func reportIfAsked() {
        guard let path = ProcessInfo.processInfo.environment[reportVariable], let peak = peakResidentKiB() else { return }
        try? String(peak).write(toFile: path, atomically: false, encoding: .utf8)
    }
}
