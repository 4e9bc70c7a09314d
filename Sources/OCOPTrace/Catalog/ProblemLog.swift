import Foundation

/// Every problem of an import, in a CSV file beside the output, and the few a terminal shows.
///
/// A catalog whose producer's commune varies can have a problem on every one of 100,000 rows:
/// printed in full it buries everything else. The terminal gets the first few of each kind (each
/// column) with a count of the rest, and the file has them all.
public enum ProblemLog {
    /// The problems file for an input file, in `folder/problems/`: `catalog.csv` → `catalog-problems.csv`.
    public static func url(for file: String, in folder: URL) -> URL {
        let base = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return folder.appendingPathComponent("problems").appendingPathComponent(FileName.slug(base) + "-problems.csv")
    }

    /// Writes every problem (`file,row,column,message`, UTF-8 with a byte-order mark so that Excel
    /// reads the Vietnamese right) and returns the file's path as given.
    public static func write(_ problems: [RowProblem], for file: String, in folder: URL) throws -> String {
        let url = url(for: file, in: folder)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let writer = try AtomicFileWriter(url)
        try writer.write("\u{FEFF}file,row,column,message\n")
        for problem in problems {
            try writer.write([problem.file, String(problem.row), problem.column ?? "", problem.message]
                .map(CSVText.field).joined(separator: ",") + "\n")
        }
        try writer.commit()
        return url.relativePath
    }

    /// What a terminal shows of many problems.
    public struct Summary: Sendable {
        /// The first problems of each kind, in row order.
        public var shown: [RowProblem]
        /// Kinds with more problems than shown: the column (nil for whole-row problems) and how many more.
        public var moreByColumn: [(column: String?, count: Int)]
        public var total: Int
    }

    /// The first `perKind` problems of each column, in row order, and how many of each were left out.
    public static func summary(_ problems: [RowProblem], perKind: Int = 5) -> Summary {
        var shownPerColumn: [String?: Int] = [:]
        var hidden: [String?: Int] = [:]
        var hiddenOrder: [String?] = []
        var shown: [RowProblem] = []
        for problem in problems {
            let count = shownPerColumn[problem.column, default: 0]
            if count < perKind {
                shown.append(problem)
                shownPerColumn[problem.column] = count + 1
            } else {
                if hidden[problem.column] == nil { hiddenOrder.append(problem.column) }
                hidden[problem.column, default: 0] += 1
            }
        }
        return Summary(shown: shown, moreByColumn: hiddenOrder.map { ($0, hidden[$0]!) }, total: problems.count)
    }
}
