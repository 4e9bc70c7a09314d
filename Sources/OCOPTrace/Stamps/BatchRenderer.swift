import Foundation

/// Draws every stamp of a batch as a PNG file and writes the batch's manifest.
///
/// Encoding QR symbols and compressing PNGs is CPU work and runs on every core, a thousand stamps
/// (one output folder) per task. Creating files is kernel work that slows down badly when two
/// threads do it at once on ext4, so one writer thread creates every file, and writes the
/// manifest in stamp order as the chunks arrive. The queue between them is bounded: memory holds a
/// few chunks at most, whatever the batch size.
struct BatchRenderer {
    let store: any RegistryStore
    let batch: StampBatch
    let options: RenderOptions
    let writePNGs: Bool
    let folder: URL
    /// A PIN batch's PINs (in stamp order, or by serial): `pins.csv` is written beside the manifest, in the same pass.
    var pins: PINTable? = nil

    /// A rendered chunk on its way to the writer.
    private struct RenderedChunk: Sendable {
        var index: Int
        var files: [(name: String, png: Data)]
        var manifestLines: String
        /// The chunk's `pins.csv` lines (a PIN batch).
        var pinLines: String
        var timings: RenderTimings
    }

    private enum WriterEvent: Sendable {
        case chunk(RenderedChunk)
    }

    func run(progress: (@Sendable (IssueProgress) -> Void)?) async throws -> RenderTimings {
        try options.validate()
        try AtomicFileWriter.createFolder(folder)
        let chunkCount = (batch.quantity + StampIssuer.stampsPerFolder - 1) / StampIssuer.stampsPerFolder
        let queue = BoundedQueue<RenderedChunk>(capacity: 4)
        let writer = ManifestAndFileWriter(folder: folder, chunkCount: chunkCount, total: batch.quantity, lot: batch.lot, progress: progress,
                                           writesPINs: pins != nil)
        async let written: Void = withCheckedContinuation { continuation in
            Thread.detachNewThread {
                writer.consume(queue)
                continuation.resume()
            }
        }
        let failures = await renderChunks(chunkCount, into: queue)
        queue.finish()
        await written
        if let error = writer.failure { throw error }
        for error in failures.compactMap({ $0 }) where !(error is BoundedQueue<RenderedChunk>.Closed) { throw error }
        var timings = RenderTimings()
        timings.add(writer.timings)
        return timings
    }

    /// Renders every chunk, as many at once as there are cores; each reads its stamps from the
    /// store first. Returns each chunk's failure, if any: after the first, the queue is closed and
    /// no further chunk is started.
    ///
    /// A chunk's task may wait in `push` for the writer to make room: the writer is a thread of its
    /// own, not one of Swift's, so it always drains the queue and the wait is short.
    private func renderChunks(_ chunkCount: Int, into queue: BoundedQueue<RenderedChunk>) async -> [(any Error)?] {
        let store = self.store
        let batch = self.batch
        let options = self.options
        let writePNGs = self.writePNGs
        let pins = self.pins
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var failures = [(any Error)?](repeating: nil, count: chunkCount)
        await withTaskGroup(of: (Int, (any Error)?).self) { group in
            var next = 0
            var failed = false
            func start(_ index: Int) {
                group.addTask {
                    do {
                        let first = index * StampIssuer.stampsPerFolder + 1
                        let last = min(batch.quantity, first + StampIssuer.stampsPerFolder - 1)
                        let stamps = try await store.stamps(batchID: batch.id, sequences: first...last)
                        try queue.push(BatchRenderer.render(chunk: index, stamps: stamps, batch: batch, options: options, writePNGs: writePNGs,
                                                            pins: pins))
                        return (index, nil)
                    } catch {
                        queue.close()
                        return (index, error)
                    }
                }
            }
            while next < min(workers, chunkCount) {
                start(next)
                next += 1
            }
            while let (index, error) = await group.next() {
                failures[index] = error
                if error != nil { failed = true }
                if !failed, next < chunkCount {
                    start(next)
                    next += 1
                }
            }
        }
        return failures
    }

    private static func render(chunk index: Int, stamps: [IssuedStamp], batch: StampBatch, options: RenderOptions,
                               writePNGs: Bool, pins: PINTable?) throws -> RenderedChunk {
        let png = StampPNGWriter(options: options)
        let folderName = StampIssuer.chunkFolderName(index)
        var files: [(name: String, png: Data)] = []
        files.reserveCapacity(stamps.count)
        var lines = ""
        var pinLines = ""
        var missingPINs = 0
        let suffix = "," + CSVText.field(batch.lot) + "," + (batch.producedOn ?? "") + "," + (batch.expiresOn ?? "") + "\n"
        if pins != nil { pinLines.reserveCapacity(stamps.count * 96) }
        for stamp in stamps {
            let url = batch.url(serial: stamp.serial, signature: stamp.signature).text
            // Each once a stamp: the manifest, the PNG's name and pins.csv share them.
            let stampID = stamp.stampID.formatted
            let urlField = CSVText.field(url)
            let name = stampID + ".png"
            if writePNGs { files.append((name, try png.pngData(url))) }
            lines += String(stamp.sequence) + "," + stamp.serial.text + "," + stampID + "," + urlField
                + "," + (writePNGs ? folderName + "/" + name : "") + suffix
            if let pins {
                if let pin = pins[stamp.sequence, stamp.serial] {
                    // Appended in place: no intermediate strings a row.
                    pinLines.append(stampID)
                    pinLines.append(",")
                    pinLines.append(urlField)
                    pinLines.append(",")
                    pinLines.append(pin)
                    pinLines.append("\n")
                } else {
                    missingPINs += 1
                }
            }
        }
        // A stored stamp whose PIN is nowhere (its drawn file was deleted): the batch cannot be printed.
        if missingPINs > 0 { throw IssueError.pinsLost(lot: batch.lotLabel, count: missingPINs) }
        return RenderedChunk(index: index, files: files, manifestLines: lines, pinLines: pinLines, timings: png.timings)
    }

    /// The one thread that creates files: PNGs into their chunk folder, and the manifest in order.
    private final class ManifestAndFileWriter: @unchecked Sendable {
        // @unchecked: used by the writer thread only until `consume` returns; read afterwards.
        let folder: URL
        let chunkCount: Int
        let total: Int
        let lot: String
        let progress: (@Sendable (IssueProgress) -> Void)?
        let writesPINs: Bool
        var failure: (any Error)?
        var timings = RenderTimings()

        init(folder: URL, chunkCount: Int, total: Int, lot: String, progress: (@Sendable (IssueProgress) -> Void)?, writesPINs: Bool) {
            self.writesPINs = writesPINs
            self.folder = folder
            self.chunkCount = chunkCount
            self.total = total
            self.lot = lot
            self.progress = progress
        }

        func consume(_ queue: BoundedQueue<RenderedChunk>) {
            do {
                try write(from: queue)
            } catch {
                failure = error
                queue.close()
            }
        }

        private func write(from queue: BoundedQueue<RenderedChunk>) throws {
            let manifest = try AtomicFileWriter(folder.appendingPathComponent("manifest.csv"))
            try manifest.write("sequence,serial,stamp_id,url,png,lot,produced_on,expires_on\n")
            let pinFile = writesPINs ? try AtomicFileWriter(folder.appendingPathComponent(PINFile.fileName), mode: 0o600) : nil
            try pinFile?.write(PINFile.header + "\n")
            var waiting: [Int: (manifest: String, pins: String)] = [:]
            var nextLines = 0
            var written = 0
            while let chunk = queue.pop() {
                let chunkFolder = folder.appendingPathComponent(StampIssuer.chunkFolderName(chunk.index))
                if !chunk.files.isEmpty { try AtomicFileWriter.createFolder(chunkFolder) }
                let started = DispatchTime.now().uptimeNanoseconds
                for file in chunk.files {
                    try BatchRenderer.writeFile(chunkFolder.appendingPathComponent(file.name).path, file.png)
                }
                var chunkTimings = chunk.timings
                chunkTimings.writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                timings.add(chunkTimings)
                // Manifest lines go out in chunk order; the few that arrive early wait.
                waiting[chunk.index] = (chunk.manifestLines, chunk.pinLines)
                while let lines = waiting.removeValue(forKey: nextLines) {
                    try manifest.write(lines.manifest)
                    try pinFile?.write(lines.pins)
                    nextLines += 1
                }
                written += chunk.files.count
                progress?(IssueProgress(stage: .render, lot: lot, done: written, total: total))
            }
            guard nextLines == chunkCount else { return }  // stopped early: a renderer failed
            // The old manifest is replaced whole: a reader sees it or the new one.
            try manifest.commit(durable: true)
            try pinFile?.commit(durable: true)
        }
    }

    /// Writes one PNG; a file that could not be written whole (a full disk) is removed, and the
    /// error names it with the system's reason.
    static func writeFile(_ path: String, _ data: Data) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        var offset = 0
        var failure: Int32 = 0
        while offset < data.count, failure == 0 {
            let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 { offset += written } else if written < 0, errno == EINTR { continue } else { failure = written < 0 ? errno : ENOSPC }
        }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(path)
            throw FileWriteError(path: path, reason: String(cString: strerror(failure)))
        }
    }
}
