import Foundation

/// One stamp of a batch as an export lists it: its place in the batch and its serial.
public struct StampSerial: Sendable, Hashable {
    public var sequence: Int64
    public var serial: String

    public init(sequence: Int64, serial: String) {
        self.sequence = sequence
        self.serial = serial
    }
}
