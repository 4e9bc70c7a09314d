import Foundation

/// What happened to one imported file.
public struct FileImportReport: Sendable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// Every row imported (or found unchanged).
        case succeeded
        /// `--skip-invalid`: the valid rows imported, the invalid ones reported.
        case partial
        /// Invalid rows: nothing from this file was written.
        case rejected
        /// `--dry-run`: validated, nothing written.
        case validated
        /// The file could not be read as a catalog at all (see `failure`); nothing written.
        case unreadable
    }

    public var file: String
    public var kind: InputKind?
    public var checksum: String?
    public var outcome: Outcome
    /// Data rows read, blank rows not counted.
    public var rows: Int = 0
    public var inserted: Int = 0
    public var updated: Int = 0
    public var unchanged: Int = 0
    public var invalidRows: Int = 0
    /// Every problem, in row order; they reject the file unless `--skip-invalid` is given.
    public var problems: [RowProblem] = []
    /// Notes that reject nothing: ignored columns, local images that are not there yet.
    public var warnings: [String] = []
    /// Where every problem was written (`problems/{file}-problems.csv` under the import's
    /// `problemsFolder`), when there were any.
    public var problemsFile: String?
    /// Why an `unreadable` file could not be read.
    public var failure: String?
    /// The stamp orders a stamp-order file names (imported or already there), for issuing them.
    public var stampOrderIDs: [Int64] = []
    /// The job-log entry, absent for dry runs.
    public var jobID: Int64?
    public var seconds: Double = 0

    public init(file: String, kind: InputKind?, checksum: String?, outcome: Outcome) {
        self.file = file
        self.kind = kind
        self.checksum = checksum
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey {
        case file, kind, checksum, outcome, rows, inserted, updated, unchanged
        case invalidRows = "invalid_rows", problems, problemsFile = "problems_file", warnings, failure
        case jobID = "job_id", seconds
    }
}

/// Options of an import.
public struct ImportOptions: Sendable {
    /// Import the valid rows and report the rest, instead of rejecting the whole file.
    public var skipInvalid = false
    /// Validate only; write nothing, not even a job-log entry.
    public var dryRun = false
    /// The day recognition and production dates are checked against.
    public var today = CalendarDate.today()
    /// Where every problem of a file is written, in `problems/` (the output folder); nil writes none.
    public var problemsFolder: URL?

    public init(skipInvalid: Bool = false, dryRun: Bool = false, today: CalendarDate = .today(), problemsFolder: URL? = nil) {
        self.skipInvalid = skipInvalid
        self.dryRun = dryRun
        self.today = today
        self.problemsFolder = problemsFolder
    }
}

/// How far an import has got, for progress displays.
public struct ImportProgress: Sendable {
    public var file: String
    public var rows: Int
    public var position: ReadPosition
    public var elapsedSeconds: Double
}
