import Foundation
import GRDB

/// Draws every stamp of a batch as a PNG file and writes the batch's manifest.
///
/// Encoding QR symbols and compressing PNGs is CPU work and runs on every core, a thousand stamps
/// (one output folder) per task. Creating files is kernel work that slows down badly when two
/// threads do it at once on ext4, so one writer thread creates every file, and writes the
/// manifest in stamp order as the chunks arrive. The queue between them is bounded: memory holds a
/// few chunks at most, whatever the batch size.
struct BatchRenderer {
    let registry: Registry
    let batch: StampBatch
    let options: RenderOptions
    let writePNGs: Bool
    let folder: URL

    /// A rendered chunk on its way to the writer.
    private struct RenderedChunk: Sendable {
        var index: Int
        var files: [(name: String, png: Data)]
        var manifestLines: String
        var timings: RenderTimings
    }

    private enum WriterEvent: Sendable {
        case chunk(RenderedChunk)
    }

    func run(progress: (@Sendable (IssueProgress) -> Void)?) throws -> RenderTimings {
        try options.validate()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let chunkCount = (batch.quantity + StampIssuer.stampsPerFolder - 1) / StampIssuer.stampsPerFolder
        let queue = BoundedQueue<RenderedChunk>(capacity: 4)
        let writer = ManifestAndFileWriter(folder: folder, chunkCount: chunkCount, total: batch.quantity, lot: batch.lot, progress: progress)
        let writerDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            writer.consume(queue)
            writerDone.signal()
        }

        let failures = ConcurrentResults<(any Error)?>(count: chunkCount)
        let registry = self.registry
        let batch = self.batch
        let options = self.options
        let writePNGs = self.writePNGs
        DispatchQueue.concurrentPerform(iterations: chunkCount) { index in
            do {
                try queue.push(BatchRenderer.render(chunk: index, batch: batch, registry: registry, options: options, writePNGs: writePNGs))
                failures.set(index, nil)
            } catch {
                failures.set(index, error)
                queue.close()
            }
        }
        queue.finish()
        writerDone.wait()
        if let error = writer.failure { throw error }
        for index in 0..<chunkCount {
            if let error = failures.value(index), !(error is BoundedQueue<RenderedChunk>.Closed) { throw error }
        }
        var timings = RenderTimings()
        timings.add(writer.timings)
        return timings
    }

    private static func render(chunk index: Int, batch: StampBatch, registry: Registry, options: RenderOptions,
                               writePNGs: Bool) throws -> RenderedChunk {
        let first = index * StampIssuer.stampsPerFolder + 1
        let last = min(batch.quantity, first + StampIssuer.stampsPerFolder - 1)
        let stamps = try registry.read { db in try StampIssuer.stamps(db, batchID: batch.id, sequences: first...last) }
        let png = StampPNGWriter(options: options)
        let folderName = StampIssuer.chunkFolderName(index)
        var files: [(name: String, png: Data)] = []
        files.reserveCapacity(stamps.count)
        var lines = ""
        let suffix = "," + CSVText.field(batch.lot) + "," + (batch.producedOn ?? "") + "," + (batch.expiresOn ?? "") + "\n"
        for stamp in stamps {
            let url = batch.url(serial: stamp.serial, signature: stamp.signature).text
            let name = stamp.stampID.formatted + ".png"
            if writePNGs { files.append((name, try png.pngData(url))) }
            lines += String(stamp.sequence) + "," + stamp.serial.text + "," + stamp.stampID.formatted + "," + CSVText.field(url)
                + "," + (writePNGs ? folderName + "/" + name : "") + suffix
        }
        return RenderedChunk(index: index, files: files, manifestLines: lines, timings: png.timings)
    }

    /// The one thread that creates files: PNGs into their chunk folder, and the manifest in order.
    private final class ManifestAndFileWriter: @unchecked Sendable {
        // @unchecked: used by the writer thread only until `consume` returns; read afterwards.
        let folder: URL
        let chunkCount: Int
        let total: Int
        let lot: String
        let progress: (@Sendable (IssueProgress) -> Void)?
        var failure: (any Error)?
        var timings = RenderTimings()

        init(folder: URL, chunkCount: Int, total: Int, lot: String, progress: (@Sendable (IssueProgress) -> Void)?) {
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
            var waiting: [Int: String] = [:]
            var nextLines = 0
            var written = 0
            while let chunk = queue.pop() {
                let chunkFolder = folder.appendingPathComponent(StampIssuer.chunkFolderName(chunk.index))
                if !chunk.files.isEmpty { try FileManager.default.createDirectory(at: chunkFolder, withIntermediateDirectories: true) }
                let started = DispatchTime.now().uptimeNanoseconds
                for file in chunk.files {
                    try BatchRenderer.writeFile(chunkFolder.appendingPathComponent(file.name).path, file.png)
                }
                var chunkTimings = chunk.timings
                chunkTimings.writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                timings.add(chunkTimings)
                // Manifest lines go out in chunk order; the few that arrive early wait.
                waiting[chunk.index] = chunk.manifestLines
                while let lines = waiting.removeValue(forKey: nextLines) {
                    try manifest.write(lines)
                    nextLines += 1
                }
                written += chunk.files.count
                progress?(IssueProgress(stage: .render, lot: lot, done: written, total: total))
            }
            guard nextLines == chunkCount else { return }  // stopped early: a renderer failed
            // The old manifest is replaced whole: a reader sees it or the new one.
            try manifest.commit(durable: true)
        }
    }

    static func writeFile(_ path: String, _ data: Data) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RenderError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        let closed = close(descriptor)
        guard written == data.count, closed == 0 else {
            throw RenderError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
