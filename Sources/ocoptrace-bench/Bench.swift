import ArgumentParser
import Foundation
import OCOPTrace

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocoptrace-bench",
        abstract: "Benchmarks of ocoptrace's batch jobs, run on generated data through the real executable.",
        discussion: """
            Build in release mode first so that the measured binary is the optimised one:
              swift build -c release && swift run -c release ocoptrace-bench import --rows 100000
            """,
        subcommands: [ImportBench.self, IssueBench.self, VerifyBench.self, LabelsBench.self, ExportBench.self, ServeBench.self, EPCISBench.self,
                      ReportBench.self, CartonsBench.self, ClonesBench.self]
    )
}

struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a generated catalog of N products: first import, re-import, and an import with changes.",
        discussion: """
            The catalog has realistic Vietnamese rows (NFD and NFC text, prices written several ways, \
            GTINs with valid check digits, quoted descriptions with line breaks). Each import runs the \
            ocoptrace executable as a child process on a fresh registry; the figures are wall time, \
            rows per second and the child's peak resident memory.

            With --xlsx the same rows are written as Excel workbooks by openpyxl (Python, as other tools \
            write them; scripts/setup.sh installs it) and those are imported instead.

            With --db postgres://… (a PostgreSQL server) the same imports run on a fresh database there \
            too, after the SQLite ones, and both are printed side by side; the database is dropped \
            afterwards.

            With --diary, a production diary of N rows (a stage of a lot of one of the catalog's \
            products each, with a place, times, an actor and a standard) is imported after the catalog, \
            into the same registry, and re-imported; the diary's first import is compared with the \
            catalog's (goal: at most 2×).

            Examples:
              swift run -c release ocoptrace-bench import --rows 100000
              swift run -c release ocoptrace-bench import --rows 100000 --diary
              swift run -c release ocoptrace-bench import --rows 100000 --xlsx
              swift run -c release ocoptrace-bench import --rows 100000 --db postgres://postgres@127.0.0.1:55432/postgres
            """
    )

    @Option(help: "Products in the generated catalog.")
    var rows = 100_000

    @Flag(help: "Import .xlsx workbooks (written by openpyxl from the generated rows) instead of CSV.")
    var xlsx = false

    @Flag(help: "Also import a production diary of as many rows, and compare it with the catalog.")
    var diary = false

    @Option(help: "The ocoptrace executable to measure (default: the one beside this benchmark).")
    var executable: String?

    @Option(help: ArgumentHelp("A PostgreSQL server to run the same imports on as well, side by side with SQLite.", valueName: "postgres-url"))
    var db: String?

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Keep the generated catalogs and registry in this folder (default: a new one in output/, removed afterwards).", valueName: "folder"))
    var keep: String?

    func run() async throws {
        let postgres = try db.map { try BenchPostgres(server: $0) }
        let folder = keep.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "output/bench-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path

        var catalog = folder.appendingPathComponent("catalog.csv")
        var changed = folder.appendingPathComponent("catalog-changed.csv")
        var diaryFile = folder.appendingPathComponent("nhat-ky.csv")
        try CatalogGenerator(rows: rows, priceBump: 0).write(to: catalog)
        try CatalogGenerator(rows: rows, priceBump: 1000).write(to: changed)
        if diary { try DiaryGenerator(rows: rows, products: rows).write(to: diaryFile) }
        if xlsx {
            catalog = try Self.workbook(fromCSV: catalog)
            changed = try Self.workbook(fromCSV: changed)
            if diary { diaryFile = try Self.workbook(fromCSV: diaryFile) }
        }
        let size = (try FileManager.default.attributesOfItem(atPath: catalog.path)[.size] as? Int) ?? 0
        let db = folder.appendingPathComponent("registry.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }

        var registries = [("SQLite", db)]
        if let postgres { registries.append(("PostgreSQL", try await postgres.freshDatabase(label: "import"))) }
        var results: [ChildRun] = []
        for (engine, registry) in registries {
            for (label, file) in [("first import", catalog), ("re-import, unchanged", catalog), ("import, every price changed", changed)] {
                var run = try ChildRun.measure(label: "\(engine): \(label)", binary: binary, arguments: ["import", "--db", registry, file.path])
                run.rowsPerSecond = Double(rows) / run.seconds
                results.append(run)
            }
            if diary {
                for label in ["diary, first import", "diary, re-import, unchanged"] {
                    var run = try ChildRun.measure(label: "\(engine): \(label)", binary: binary, arguments: ["import", "--db", registry, diaryFile.path])
                    run.rowsPerSecond = Double(rows) / run.seconds
                    results.append(run)
                }
            }
        }
        await postgres?.dropAll()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
            return
        }
        print("catalog: \(rows) rows, \(String(format: "%.1f", Double(size) / 1_048_576)) MiB \(xlsx ? "xlsx (openpyxl)" : "CSV"); binary \(binary)")
        for run in results {
            print(run.label.padding(toLength: 42, withPad: " ", startingAt: 0) + String(format: " %7.2f s  %9.0f rows/s  peak RSS %6.1f MiB  exit %d",
                         run.seconds, run.rowsPerSecond, Double(run.peakRSSKiB) / 1024, run.exitStatus))
        }
        for engine in registries.map(\.0) where diary {
            guard let catalogRun = results.first(where: { $0.label == "\(engine): first import" }),
                  let diaryRun = results.first(where: { $0.label == "\(engine): diary, first import" }) else { continue }
            print(String(format: "%@: diary import / catalog import: %.2f× wall, %.2f× CPU (goal: at most 2×)", engine as NSString,
                         diaryRun.seconds / catalogRun.seconds, diaryRun.cpuSeconds / max(catalogRun.cpuSeconds, 1e-9)))
        }
    }
}

extension ImportBench {
    /// The same rows as an Excel workbook written by openpyxl in its streaming mode, with
    /// numbers as numbers, as a spreadsheet program would store them.
    static func workbook(fromCSV csv: URL) throws -> URL {
        let workbook = csv.deletingPathExtension().appendingPathExtension("xlsx")
        let script = """
            import csv, sys, openpyxl
            book = openpyxl.Workbook(write_only=True)
            sheet = book.create_sheet("Catalog")
            with open(sys.argv[1], encoding="utf-8-sig", newline="") as source:
                header = source.readline()
                source.seek(0)
                delimiter = max(",;\\t", key=header.count)
                for index, row in enumerate(csv.reader(source, delimiter=delimiter)):
                    sheet.append([int(cell) if index and cell.isdigit() and len(cell) < 12 else cell for cell in row])
            book.save(sys.argv[2])
            """
        guard let python = ChildRun.findOnPath("python3") else { throw ValidationError("--xlsx needs python3 with openpyxl (scripts/setup.sh installs them)") }
        try ChildRun.require(python, ["-c", script, csv.path, workbook.path])
        return workbook
    }
}

/// One run of a child process, timed, with its peak memory from the kernel's accounting.
struct ChildRun: Codable {
    var label: String
    var seconds: Double
    var peakRSSKiB: Int
    var exitStatus: Int32
    var rowsPerSecond: Double = 0
    /// The child's own CPU time, user and system: less moved than `seconds` by other work on the machine.
    var cpuSeconds: Double = 0

    /// The full path of a command on PATH, or nil when it is not installed.
    static func findOnPath(_ command: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(command)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a command that must succeed (setup steps), with its output discarded.
    static func require(_ binary: String, _ arguments: [String]) throws {
        let run = try measure(label: binary, binary: binary, arguments: arguments)
        guard run.exitStatus == 0 else {
            throw ValidationError("\(binary) \(arguments.joined(separator: " ")) failed with exit \(run.exitStatus)")
        }
    }

    static func measure(label: String, binary: String, arguments: [String], stdout: String = "/dev/null") throws -> ChildRun {
        // posix_spawn and wait4 rather than Process: Foundation reaps its children itself, and the
        // child's rusage (its own peak RSS) would be lost.
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = Date()
        // The child writes its own peak memory here (ru_maxrss would include this process's).
        let peakFile = FileManager.default.temporaryDirectory.appendingPathComponent("ocoptrace-peak-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: peakFile) }
        var environment = ProcessInfo.processInfo.environment
        environment[PeakMemory.reportVariable] = peakFile
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw ValidationError("cannot start \(binary): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(started)
        let reported = (try? String(contentsOfFile: peakFile, encoding: .utf8)).flatMap { Int($0) }
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return ChildRun(label: label, seconds: seconds, peakRSSKiB: reported ?? usage.ru_maxrss, exitStatus: (status >> 8) & 0xFF, cpuSeconds: cpu)
    }
}

/// Writes a large catalog shaped like real producer sheets.
struct CatalogGenerator {
    var rows: Int
    var priceBump: Int

    func write(to url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = "\u{FEFF}Mã sản phẩm;Tên sản phẩm;Mã vạch (GTIN);Chủ thể;Loại hình;Mã số thuế;Xã;Huyện;Tỉnh;Nhóm sản phẩm;Hạng sao;Số quyết định;Ngày công nhận;Giá bán;Quy cách;Khối lượng (g);Hạn sử dụng (ngày);Mô tả;Hình ảnh;Tồn kho;Kích thước đóng gói (cm)\r\n"
        let kinds = ["Nem chua", "Mắm tép", "Trà giảo cổ lam", "Bánh gai", "Giỏ mây", "Mật ong rừng", "Nước mắm", "Chè lam"]
        let provinces = ["Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Ninh Bình"]
        for index in 0..<rows {
            let producer = index / 50
            let kind = kinds[index % kinds.count]
            let body = "893" + String(format: "%09d", index)
            let gtin = body + String(GTIN.checkDigit(forLeading: body))
            let stars = ["", "3", "4 sao", "5"][index % 4]
            let recognition = stars.isEmpty ? ";" : "\(1000 + producer)/QĐ-UBND;\(String(format: "%02d", index % 28 + 1))/0\(index % 9 + 1)/2024"
            let price = 20_000 + (index % 400) * 500 + priceBump
            let priceText = index % 3 == 0 ? String(price) : index % 3 == 1 ? Formatting.grouped(price) + " ₫" : Formatting.grouped(price) + "đ"
            var name = "\(kind) đặc sản loại \(index % 7 + 1) mã \(index)"
            if index % 5 == 0 { name = name.decomposedStringWithCanonicalMapping }
            buffer += "SP-\(index);\(name);\(index % 10 == 9 ? "" : gtin);HTX Nông sản số \(producer);HTX;28\(String(format: "%08d", producer));Xã \(producer % 97);Huyện \(producer % 13);\(provinces[producer % provinces.count]);\(index % 6 + 1);\(stars);\(recognition);\(priceText);hộp \(index % 9 + 1)00g;\(index % 9 + 1)00;\(index % 360 + 5);\"Mô tả \(kind.lowercased()): sản phẩm truyền thống; đóng gói \"\"hút chân không\"\".\nBảo quản nơi khô ráo.\";https://img.example.vn/\(index).jpg;\(index % 1000);\(index % 20 == 7 ? "" : "\(10 + index % 20)x10x\(5 + index % 10)")\r\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }
}

/// Writes a production diary shaped like a cooperative's: each row a stage of a lot of one of the
/// generated catalog's products (`SP-{n}`), with Vietnamese headers, day-first times, places,
/// actors and standards, and a GLN on some rows.
struct DiaryGenerator {
    var rows: Int
    var products: Int

    func write(to url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = "Mã sản phẩm,Số lô,Công đoạn,Thời gian bắt đầu,Thời gian kết thúc,Địa điểm,Mã địa điểm (GLN),Xã,Tỉnh,"
            + "Người/đơn vị thực hiện,Tiêu chuẩn áp dụng,Số chứng nhận / phiếu kiểm nghiệm,Ghi chú\n"
        let stages = ["Gieo trồng", "chăm sóc", "Bón phân", "Thu hoạch", "so che", "Chế biến", "Lên men", "Đóng gói", "Kiểm nghiệm", "Bảo quản"]
        let provinces = ["Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Ninh Bình"]
        let glnBody = "893876500000"
        let gln = glnBody + String(GTIN.checkDigit(forLeading: glnBody))
        for index in 0..<rows {
            // Ten stages of a lot, then the next product's lot.
            let product = (index / stages.count) % products
            let stage = index % stages.count
            let day = CalendarDate(year: 2026, month: 1, day: 1)!.adding(days: (index / stages.count) % 300 + stage * 2)!
            let start = day.vietnamese + " 0\(stage % 9 + 1):30"
            let end = day.vietnamese + " 1\(stage % 9):00"
            let place = index % 4 == 0 ? ",,\(gln),," : ",Xưởng số \(product % 40),,Xã \(product % 97),\(provinces[product % provinces.count])"
            buffer += "SP-\(product),Lô \(index / stages.count),\(stages[stage]),\(start),\(end)\(place),Tổ \(stage + 1),"
                + (stage % 3 == 0 ? "VietGAP" : "") + "," + (stage == 8 ? "PKN-\(index)" : "") + ",\"ghi chú, \"\"mẻ\"\" \(index)\"\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }
}

enum Formatting {
    static func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(".", at: index)
            index -= 3
        }
        return String(digits)
    }
}
