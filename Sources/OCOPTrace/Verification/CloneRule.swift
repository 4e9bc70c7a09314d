/// When a stamp is a suspected copy: verified more than `threshold` times, or at two places. A
/// genuine stamp sits on one product, so its code photographed and printed onto other goods shows
/// up as scans that one package would not get. The one place this is decided: `verify`, the
/// verification page and `ocoptrace scans` all ask here.
///
/// A stamp with a scratch-off PIN has a better witness of copies: its PIN, which a copy's second
/// buyer finds already activated. Its scan count is only a backstop (for copies whose buyers never
/// type the PIN), with a higher threshold, ``pinThreshold``: counting its activation and the honest
/// buyers' second looks, `ocoptrace-bench clones` found 3 % of genuine PIN stamps over 5 counted
/// scans and none over 10 (docs/scratch-pin.md). Two distant places still flag any stamp.
public struct CloneRule: Sendable {
    public var threshold: Int
    /// The threshold for a stamp with a scratch-off PIN.
    public var pinThreshold: Int

    public init(threshold: Int = 5, pinThreshold: Int? = nil) {
        self.threshold = threshold
        self.pinThreshold = pinThreshold ?? max(threshold, 2 * threshold)
    }

    public func isSuspected(scans: Int, locations: [String], hasPIN: Bool = false) -> Bool {
        scans > (hasPIN ? pinThreshold : threshold) || locations.count > 1
    }

    /// Flags `result` from its scan history, with a note saying why when it is otherwise genuine.
    public func flag(_ result: inout VerificationResult, hasPIN: Bool = false) {
        guard let scans = result.scans else { return }
        result.suspectedClone = isSuspected(scans: scans.count, locations: scans.locations, hasPIN: hasPIN)
        if result.suspectedClone, result.status == .genuine {
            result.notes.append(scans.locations.count > 1 ? .copyAtPlaces(scans.locations) : .copyScannedOften(scans.count, since: scans.firstAt))
        }
    }
}
