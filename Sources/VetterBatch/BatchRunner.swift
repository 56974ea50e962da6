import Foundation
import VetterCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input that could not be screened: one line of the output in its place.
public struct BatchErrorRecord: Codable, Sendable, Equatable {
    public static let schemaID = "vetter.batch-error/v1"
    public var schema = BatchErrorRecord.schemaID
    public var inputID: String
    public var position: Int
    public var error: String

    enum CodingKeys: String, CodingKey {
        case schema, position, error
        case inputID = "input_id"
    }
}

/// What one item became.
public struct ItemResult: Sendable {
    public var position: Int
    public var inputID: String
    /// The output line, without its newline.
    public var line: String
    public var band: Band?
    public var score: Double?
    public var error: String?
    /// The résumé (or another part) could not be read; the report says so.
    public var partial: Bool
}

/// Counts for progress and the summary.
public struct BatchStats: Sendable, Equatable {
    public var total: Int?
    /// Lines already in the output when this run started (`--resume`).
    public var resumed = 0
    public var written = 0
    public var bands: [Band: Int] = [:]
    public var errors = 0
    public var partial = 0
    public var stoppedEarly = false
    public var elapsed: TimeInterval = 0

    public var rate: Double { elapsed > 0 ? Double(written) / elapsed : 0 }
    public var remaining: Int? { total.map { max(0, $0 - resumed - written) } }
}

/// Runs a batch: screens items with at most `jobs` in flight and writes exactly one line per
/// input, in input order, to an append-only JSON Lines file.
public struct BatchRunner: Sendable {
    public var screener: Screener
    public var jobs: Int
    public var failFast: Bool
    /// Per-application Markdown and HTML reports go here when set.
    public var reportsDirectory: URL?
    /// Start an fsync of the output (in the background) this often (lines); the last is waited for.
    public var syncEvery: Int = 64

    public init(screener: Screener, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, failFast: Bool = false, reportsDirectory: URL? = nil) {
        self.screener = screener
        self.jobs = max(1, jobs)
        self.failFast = failFast
        self.reportsDirectory = reportsDirectory
    }

    /// What a worker hands back: a finished line, or an application read and waiting for the
    /// sequential enrichers.
    enum Step: Sendable {
        /// An error record, or (with no sequential stage) the whole screening.
        case done(ItemResult)
        case read(position: Int, Screener.Pending)
        case finished(ItemResult)
        /// A group back from the sequential stage.
        case enriched(positions: [Int], [Screener.Pending])
        /// The steps of a worker task that handled several items one after another.
        case several([Step])
    }

    /// Items a worker task reads, or finishes, one after another: each task's completion wakes
    /// the loop's thread, and a task per item made that a share of a batch's CPU time.
    static let itemsPerTask = 4

    /// Screens what `source` yields after the first `output.completed` items and appends each result.
    ///
    /// Reading, parsing, enrichment and evaluation run in up to `jobs` parallel workers. The
    /// enrichers whose answer depends on the applications before (the identity store, which
    /// records each application) run between them, one application at a time and in input
    /// order, in this task: so a batch's results do not depend on timing, and while this task
    /// waits on the store the workers use the other cores.
    public func run(_ source: inout some BatchSource, output: OutputFile, progress: (BatchStats) -> Void = { _ in }) async throws -> BatchStats {
        var stats = BatchStats(total: source.count, resumed: output.completed)
        let start = Date()
        for _ in 0..<output.completed { guard source.next() != nil else { break } }
        let sequential = screener.sequentialEnrichers
        // With a sequential stage (the identity store), applications go through it in groups, one
        // store transaction each (committing once per application costs more than the rest of
        // the screening), on a thread of its own while the workers go on reading the next ones:
        // whatever has queued up while the stage was busy is its next group, up to `groupLimit`.
        let groupLimit = 256, groupMinimum = 32
        let window = sequential == nil ? jobs * 8 : max(jobs * 8, 3 * groupLimit)
        let screener = self.screener, reports = reportsDirectory
        let before = 0..<(sequential?.lowerBound ?? screener.enrichers.count)
        let after = (sequential?.upperBound ?? screener.enrichers.count)..<screener.enrichers.count
        if let reports { try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true) }
        // This loop runs on a thread of its own, the sequential stage on another, the workers on
        // the shared pool. On the pool the stage would wait behind the workers for a thread each
        // time it resumed and, as no other thread can do its work, fall behind.
        let stageExecutor = SerialQueueExecutor(label: "vetter.batch.store")
        try await withTaskExecutorPreference(SerialQueueExecutor(label: "vetter.batch.loop")) {
        try await withThrowingTaskGroup(of: Step.self) { group in
            var nextToWrite = output.completed
            var nextSequential = output.completed
            var launched = output.completed
            var inFlight = 0
            var stageBusy = false
            var exhausted = false
            var finished: [Int: ItemResult] = [:]
            /// Read applications (nil: an item that ended early) waiting for their turn in the sequential stage.
            var waiting: [Int: Screener.Pending?] = [:]
            var sinceSync = 0
            outer: while true {
                // Workers: up to `jobs`, and one more with a sequential stage, so that a core is not
                // left idle while this task waits.
                while !exhausted, inFlight < jobs + (sequential == nil ? 0 : 1), launched - nextToWrite < window {
                    var items: [BatchItem] = []
                    while items.count < Self.itemsPerTask, launched - nextToWrite < window {
                        guard let item = source.next() else { exhausted = true; break }
                        items.append(item)
                        launched += 1
                    }
                    if items.isEmpty { break }
                    inFlight += 1
                    group.addTask(executorPreference: globalConcurrentExecutor) { [items] in
                        var steps: [Step] = []
                        for item in items { steps.append(await Self.read(item, screener: screener, enrichers: before, reports: reports, complete: sequential == nil)) }
                        return .several(steps)
                    }
                }
                if let sequential, !stageBusy {
                    var ready = 0
                    while ready < groupLimit, waiting.keys.contains(nextSequential + ready) { ready += 1 }
                    // Whatever is ready once enough has queued up, or once nothing else is on its
                    // way (the end of the input, or the read-ahead window full).
                    if ready >= groupMinimum || (ready > 0 && inFlight == 0) {
                        var positions: [Int] = [], pendings: [Screener.Pending] = []
                        for position in nextSequential..<(nextSequential + ready) {
                            if let pending = waiting.removeValue(forKey: position) ?? nil {
                                positions.append(position)
                                pendings.append(pending)
                            }
                        }
                        nextSequential += ready
                        stageBusy = true
                        group.addTask(executorPreference: stageExecutor) { [pendings, positions] in
                            var enriched = pendings
                            await screener.enrich(&enriched, with: sequential)
                            return .enriched(positions: positions, enriched)
                        }
                    }
                }
                guard let next = try await group.next() else { break }
                let steps: [Step]
                if case .several(let several) = next {
                    inFlight -= 1
                    steps = several
                } else {
                    steps = [next]
                }
                for step in steps {
                    switch step {
                    case .done(let result):
                        finished[result.position] = result
                        if sequential != nil { waiting[result.position] = .some(nil) }
                    case .read(let position, let pending):
                        waiting[position] = pending
                    case .finished(let result):
                        finished[result.position] = result
                    case .enriched(let positions, let pendings):
                        stageBusy = false
                        let items = Array(zip(positions, pendings))
                        for start in stride(from: 0, to: items.count, by: Self.itemsPerTask) {
                            let part = Array(items[start..<min(start + Self.itemsPerTask, items.count)])
                            inFlight += 1
                            group.addTask(executorPreference: globalConcurrentExecutor) { [part] in
                                var steps: [Step] = []
                                for (position, enriched) in part {
                                    steps.append(.finished(await Self.finish(enriched, position: position, screener: screener, enrichers: after, reports: reports)))
                                }
                                return .several(steps)
                            }
                        }
                    case .several:
                        preconditionFailure("worker tasks do not nest")
                    }
                }
                while let ready = finished.removeValue(forKey: nextToWrite) {
                    try output.append(ready.line)
                    nextToWrite += 1
                    sinceSync += 1
                    stats.written += 1
                    if let band = ready.band { stats.bands[band, default: 0] += 1 }
                    if ready.error != nil { stats.errors += 1 }
                    if ready.partial { stats.partial += 1 }
                    if sinceSync >= syncEvery { try output.syncInBackground(); sinceSync = 0 }
                    stats.elapsed = Date().timeIntervalSince(start)
                    progress(stats)
                    if failFast, ready.error != nil || ready.partial {
                        stats.stoppedEarly = true
                        group.cancelAll()
                        break outer
                    }
                }
            }
        }
        }
        try output.sync()
        stats.elapsed = Date().timeIntervalSince(start)
        return stats
    }

    /// Parses, maps and screens one item. Never throws: a failure is an error record.
    public static func process(_ item: BatchItem, screener: Screener, reports: URL? = nil) async -> ItemResult {
        switch await read(item, screener: screener, enrichers: screener.enrichers.indices, reports: reports, complete: true) {
        case .done(let result), .finished(let result): return result
        case .read(let position, let pending):
            return await finish(pending, position: position, screener: screener, enrichers: 0..<0, reports: reports)
        case .enriched, .several: preconditionFailure("read(…) returns one item's step")
        }
    }

    static func failure(_ item: BatchItem, _ id: String, _ message: String) -> ItemResult {
        let record = BatchErrorRecord(inputID: id, position: item.position, error: message)
        return ItemResult(position: item.position, inputID: id, line: Self.encode(record), band: nil, score: nil, error: message, partial: false)
    }

    /// Parses and maps one item, reads its résumé and runs `enrichers`; with `complete`, finishes it too.
    static func read(_ item: BatchItem, screener: Screener, enrichers: Range<Int>, reports: URL?, complete: Bool) async -> Step {
        var mapped: MappedRecord?
        var screening: Screener.Pending?
        switch item.payload {
        case .failure(let message):
            return .done(failure(item, item.label, message))
        case .file(let url):
            do { screening = try screener.prepare(fileAt: url) } catch {
                return .done(failure(item, item.label, error.problems.map(\.description).joined(separator: "; ")))
            }
        case .json(let data, let kind):
            do { mapped = try map(try JSONValue.parse(data), kind: kind, base: item.baseDirectory) } catch let error as JSONParseError {
                return .done(failure(item, item.label, "\(item.label): \(error.message)"))
            } catch {
                return .done(failure(item, item.label, "\(item.label): \(error)"))
            }
        case .value(let value, let kind):
            do { mapped = try map(value, kind: kind, base: item.baseDirectory) } catch {
                return .done(failure(item, item.label, "\(item.label): \(error)"))
            }
        case .mapped(let record):
            mapped = record
        }
        if let mapped {
            let inputID = mapped.id ?? item.label
            let decoded = ApplicationDecoder().decode(mapped.record)
            guard let application = decoded.application else {
                return .done(failure(item, inputID, decoded.problems.map(\.description).joined(separator: "; ")))
            }
            var prepared = screener.prepare(application, baseDirectory: item.baseDirectory, recordName: "\(item.label) (\(inputID))")
            if !decoded.unknownKeys.isEmpty {
                prepared.extraInputs.append("Ignored unknown fields: \(decoded.unknownKeys.joined(separator: ", "))")
            }
            if !mapped.unmapped.isEmpty {
                prepared.extraInputs.append("Not mapped from \(mapped.adapter): \(mapped.unmapped.joined(separator: ", "))")
            }
            screening = prepared
        }
        guard var pending = screening else { return .done(failure(item, item.label, "nothing to screen")) }
        await screener.enrich(&pending, with: enrichers)
        guard complete else {
            // The sequential stage's own per-application work is done here, on every core.
            if let sequential = screener.sequentialEnrichers { screener.prepareGroups(&pending, for: sequential) }
            return .read(position: item.position, pending)
        }
        return .done(await finish(pending, position: item.position, screener: screener, enrichers: 0..<0, reports: reports))
    }

    /// Runs the enrichers after the sequential stage, evaluates, and encodes the line.
    static func finish(_ pending: Screener.Pending, position: Int, screener: Screener, enrichers: Range<Int>, reports: URL?) async -> ItemResult {
        var pending = pending
        await screener.enrich(&pending, with: enrichers)
        let outcome = screener.finish(pending)
        let report = outcome.report
        if let reports { ReportsDirectory.write(report, position: position, to: reports) }
        return ItemResult(position: position, inputID: report.applicationID, line: report.jsonLine(), band: report.band,
                          score: report.score, error: nil, partial: !outcome.warnings.isEmpty)
    }

    static func map(_ value: JSONValue, kind: RecordKind, base: URL?) throws -> MappedRecord {
        let kind = kind == .auto ? RecordKind.detect(value) : kind
        switch kind {
        case .greenhouseWebhook: return try GreenhouseMapper.webhook(value, attachments: base).get()
        case .leverOpportunity: return try LeverMapper.opportunity(value, attachments: base).get()
        case .application, .auto: return MappedRecord(record: value, unmapped: [], adapter: "vetter.application/v1")
        }
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "{}" }
        // JSONEncoder never writes a raw newline; be certain a line stays one line (without a
        // Foundation string search over every report when there is none, as there never is).
        let line = String(decoding: data, as: UTF8.self)
        let hasNewline = data.withUnsafeBytes { raw in raw.baseAddress.map { memchr($0, 0x0A, raw.count) != nil } ?? false }
        return hasNewline ? line.replacingOccurrences(of: "\n", with: "\\n") : line
    }
}

/// Runs jobs one at a time on a dispatch queue of its own (a thread outside the shared pool).
final class SerialQueueExecutor: TaskExecutor, @unchecked Sendable {
    let queue: DispatchQueue
    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// The results file: opened before any work, appended a whole line per `write(2)`.
/// On `--resume` a trailing partial line (a crash mid-write) is cut off first.
public final class OutputFile: @unchecked Sendable {
    public let url: URL
    let fd: Int32
    /// Complete lines already in the file.
    public let completed: Int

    public init(url: URL, resume: Bool, overwrite: Bool = false) throws(BatchSetupError) {
        self.url = url
        let path = url.path
        var existing = 0
        if resume, FileManager.default.fileExists(atPath: path) {
            existing = try Self.recover(path)
        } else if !overwrite, Self.size(path) > 0 {
            throw BatchSetupError(.outputExists, "\(path): output already holds results; use --resume to continue it or --overwrite to start again")
        }
        let flags = O_WRONLY | O_CREAT | O_APPEND | (resume ? 0 : O_TRUNC)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw BatchSetupError(.unwritableOutput, "\(path): cannot write the output (\(String(cString: strerror(errno))))") }
        self.fd = fd
        self.completed = existing
    }

    /// (A background fsync holds the file open: its block keeps `self` alive until it ends.)
    deinit { close(fd) }

    static func size(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Counts complete lines and truncates anything after the last newline.
    static func recover(_ path: String) throws(BatchSetupError) -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BatchSetupError(.unwritableOutput, "\(path): cannot read the output to resume it")
        }
        defer { try? handle.close() }
        var lines = 0, offset: UInt64 = 0, lastNewline: UInt64 = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            for (i, byte) in chunk.enumerated() where byte == 0x0A {
                lines += 1
                lastNewline = offset + UInt64(i) + 1
            }
            offset += UInt64(chunk.count)
        }
        if lastNewline < offset {
            guard truncate(path, off_t(lastNewline)) == 0 else {
                throw BatchSetupError(.unwritableOutput, "\(path): cannot cut the partial last line (\(String(cString: strerror(errno))))")
            }
        }
        return lines
    }

    /// Appends one line with one `write(2)` (retrying the rest only after a short write).
    public func append(_ line: String) throws {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BatchSetupError(.unwritableOutput, "\(url.path): write failed (\(String(cString: strerror(errno))))")
            }
            done += n
        }
    }

    public func sync() throws {
        syncQueue.sync {}
        if let error = lock.withLock({ backgroundError }) { throw error }
        guard fsync(fd) == 0 else { throw BatchSetupError(.unwritableOutput, "\(url.path): fsync failed (\(String(cString: strerror(errno))))") }
    }

    private let syncQueue = DispatchQueue(label: "vetter.batch.fsync")
    private let lock = NSLock()
    private var syncing = false
    private var backgroundError: BatchSetupError?

    /// Starts an fsync of what has been written so far on a thread of its own, unless one is
    /// still running; a failure is thrown by the next call or by ``sync()``. The batch's loop
    /// does not wait for the disk (1–2 ms a time here, while the workers ran out of work).
    public func syncInBackground() throws {
        let start: Bool = try lock.withLock {
            if let backgroundError { throw backgroundError }
            if syncing { return false }
            syncing = true
            return true
        }
        guard start else { return }
        syncQueue.async { [self] in
            let failed = fsync(fd) != 0 ? String(cString: strerror(errno)) : nil
            lock.withLock {
                syncing = false
                if let failed, backgroundError == nil {
                    backgroundError = BatchSetupError(.unwritableOutput, "\(url.path): fsync failed (\(failed))")
                }
            }
        }
    }
}
