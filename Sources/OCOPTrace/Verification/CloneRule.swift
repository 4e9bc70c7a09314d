/// When a stamp is a suspected copy: verified more than `threshold` times, or at two places. A
/// genuine stamp sits on one product, so its code photographed and printed onto other goods shows
/// up as scans that one package would not get. The one place this is decided: `verify`, the
/// verification page and `ocoptrace scans` all ask here.
public struct CloneRule: Sendable {
    public var threshold: Int

    public init(threshold: Int = 5) {
        self.threshold = threshold
    }

    public func isSuspected(scans: Int, locations: [String]) -> Bool {
        scans > threshold || locations.count > 1
    }

    /// Flags `result` from its scan history, with a note saying why when it is otherwise genuine.
    public func flag(_ result: inout VerificationResult) {
        guard let scans = result.scans else { return }
        result.suspectedClone = isSuspected(scans: scans.count, locations: scans.locations)
        if result.suspectedClone, result.status == .genuine {
            result.notes.append(scans.locations.count > 1 ? .copyAtPlaces(scans.locations) : .copyScannedOften(scans.count, since: scans.firstAt))
        }
    }
}
