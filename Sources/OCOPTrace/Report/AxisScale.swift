/// The value axis of a chart: from zero to a round maximum in steps of 1, 2 or 5 times a power
/// of ten, so that gridlines fall on numbers a reader can add up (0, 250, 500 would not do;
/// 0, 200, 400, 600 does).
public struct AxisScale: Sendable, Hashable {
    /// The gridline values, from 0 to ``maximum`` inclusive.
    public let ticks: [Double]
    public let step: Double

    public var maximum: Double { ticks.last ?? 1 }

    /// A scale that holds `largest` with at most `targetCount` steps.
    ///
    /// - Parameters:
    ///   - largest: the largest value to show; zero, negative or not finite gives the scale 0…1.
    ///   - targetCount: the number of steps wanted (at least 1).
    ///   - wholeNumbers: counts: the step is never below 1.
    ///
    /// ```swift
    /// AxisScale(covering: 537_800).ticks  // [0, 200_000, 400_000, 600_000]
    /// AxisScale(covering: 3).ticks        // [0, 1, 2, 3]
    /// ```
    public init(covering largest: Double, targetCount: Int = 5, wholeNumbers: Bool = true) {
        let target = Double(max(1, targetCount))
        let top = largest.isFinite && largest > 0 ? largest : 1
        let raw = top / target
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        var step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        if wholeNumbers { step = max(step, 1) }
        let count = Int((top / step).rounded(.up))
        self.step = step
        self.ticks = (0...max(1, count)).map { Double($0) * step }
    }

    /// A fixed scale 0…100 in steps of 20, for percentages.
    public static let percent = AxisScale(covering: 100, targetCount: 5, wholeNumbers: false)
}
