import Foundation

/// Why an input could not be screened at all.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The file does not exist or cannot be read.
        case notFound
        /// The record is malformed: wrong types, bad values.
        case invalid
    }

    public var kind: Kind
    /// The input file (name as given by the user).
    public var file: String
    public var problems: [FieldProblem]

    public init(kind: Kind, file: String, problems: [FieldProblem]) {
        self.kind = kind
        self.file = file
        self.problems = problems
    }

    /// One line per problem: `file: field: message`.
    public var description: String {
        problems.map { "\(file): \($0)" }.joined(separator: "\n")
    }
}

/// The screening pipeline: read, enrich, evaluate every indicator, score, report.
///
/// ```swift
/// let screener = Screener(catalog: .core, policy: policy, enrichers: [ReferenceEnricher(reference: data)])
/// let outcome = try await screener.screen(fileAt: url)
/// print(TerminalRenderer(colour: false).render(outcome.report))
/// ```
public struct Screener: Sendable {
    public var catalog: IndicatorCatalog
    public var policy: Policy
    public var enrichers: [any Enricher]
    public var readers: DocumentReaders
    public var toolVersion: String
    /// "Now"; injected so that reports are repeatable.
    public var clock: @Sendable () -> Date

    public init(
        catalog: IndicatorCatalog = .core,
        policy: Policy,
        enrichers: [any Enricher] = [],
        readers: DocumentReaders = .core,
        toolVersion: String = VetterVersion.current,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.catalog = catalog
        self.policy = policy
        self.enrichers = enrichers
        self.readers = readers
        self.toolVersion = toolVersion
        self.clock = clock
    }

    /// The result of screening one input: the report, and problems that did not stop it.
    public struct Outcome: Sendable {
        public var report: Report
        /// One-line warnings, such as a résumé that could not be read (`file: field: message`).
        public var warnings: [String]
    }

    /// Screens a file: an application record (`vetter.application/v1`) or a résumé alone.
    public func screen(fileAt url: URL) async throws(InputError) -> Outcome {
        var pending = try prepare(fileAt: url)
        await enrich(&pending, with: enrichers.indices)
        return finish(pending)
    }

    /// Screens a decoded record, reading its résumé relative to `baseDirectory`.
    public func screen(_ application: Application, baseDirectory: URL? = nil, recordName: String = "record") async -> Outcome {
        var pending = prepare(application, baseDirectory: baseDirectory, recordName: recordName)
        await enrich(&pending, with: enrichers.indices)
        return finish(pending)
    }

    // MARK: - Steps

    /// An application between the steps of a screening: read (the résumé parsed and the
    /// context made), enriched, then evaluated by ``finish(_:)``. The `screen` functions run
    /// every step; a batch runs them apart, so that the enrichers whose answer depends on the
    /// applications before (``Enricher/isSequential``) see one application at a time in input
    /// order while the rest of the work runs in parallel.
    public struct Pending: Sendable {
        public var context: ScreeningContext
        public var warnings: [String]
        /// Notes appended to the report's coverage inputs after the evaluation.
        public var extraInputs: [String] = []

        public init(context: ScreeningContext, warnings: [String] = [], extraInputs: [String] = []) {
            self.context = context
            self.warnings = warnings
            self.extraInputs = extraInputs
        }
    }

    /// The enrichers from the first sequential one to the last (nil when none is sequential).
    public var sequentialEnrichers: Range<Int>? {
        guard let first = enrichers.firstIndex(where: { $0.isSequential }),
              let last = enrichers.lastIndex(where: { $0.isSequential }) else { return nil }
        return first..<(last + 1)
    }

    /// Reads a file (a record or a résumé alone) up to the enrichers.
    public func prepare(fileAt url: URL) throws(InputError) -> Pending {
        let name = url.path
        guard FileManager.default.isReadableFile(atPath: url.path), let data = try? Data(contentsOf: url) else {
            throw InputError(kind: .notFound, file: name, problems: [FieldProblem(path: "", message: "file not found or unreadable")])
        }
        if Self.looksLikeRecord(data) {
            let decoded = ApplicationDecoder().decode(data)
            guard let application = decoded.application else {
                throw InputError(kind: .invalid, file: name, problems: decoded.problems)
            }
            var pending = prepare(application, baseDirectory: url.deletingLastPathComponent(), recordName: name)
            if !decoded.unknownKeys.isEmpty {
                pending.extraInputs.append("Ignored unknown fields: \(decoded.unknownKeys.joined(separator: ", "))")
            }
            return pending
        }
        let document: ResumeDocument
        do { document = try readers.read(data, filename: url.lastPathComponent) } catch {
            throw InputError(kind: .invalid, file: name, problems: [FieldProblem(path: "", message: Self.stripFilePrefix(error.message, url.lastPathComponent))])
        }
        let application = ResumeRecordBuilder.application(from: document, id: url.deletingPathExtension().lastPathComponent)
        return prepare(application, resume: document, resumeProblem: nil)
    }

    /// Reads a decoded record's résumé (relative to `baseDirectory`) up to the enrichers.
    public func prepare(_ application: Application, baseDirectory: URL? = nil, recordName: String = "record") -> Pending {
        var resume: ResumeDocument?
        var problem: String?
        switch application.resume {
        case .none:
            break
        case .text(let raw):
            // Read as a plain-text file is: CRLF résumés (as ATS exports carry them) keep their sections.
            let text = raw.withLFLineEnds()
            resume = ResumeDocument(format: .plainText, sourceName: "inline text", text: text, fields: TextFieldExtractor().extract(from: text))
        case .jsonResume(let value):
            do { resume = try JSONResumeReader().document(from: value, sourceName: "inline JSON Resume") } catch { problem = error.message }
        case .path(let path):
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : (baseDirectory ?? URL(fileURLWithPath: ".")).appendingPathComponent(path)
            do { resume = try readers.read(contentsOf: url) } catch { problem = error.message }
        }
        var warnings: [String] = []
        if let problem { warnings.append("\(recordName): resume.path: \(Self.stripFilePrefix(problem, nil)); screened without it") }
        return prepare(application, resume: resume, resumeProblem: problem, warnings: warnings)
    }

    func prepare(_ application: Application, resume: ResumeDocument?, resumeProblem: String?, warnings: [String] = []) -> Pending {
        Pending(context: ScreeningContext(application: application, resume: resume, resumeProblem: resumeProblem, asOf: clock()), warnings: warnings)
    }

    /// Runs the enrichers at `indices`, in order.
    public func enrich(_ pending: inout Pending, with indices: Range<Int>) async {
        for index in indices {
            await enrichers[index].enrich(&pending.context)
        }
    }

    /// Lets the ``GroupEnricher``s at `indices` do ahead the work that depends on this
    /// application alone (``GroupEnricher/prepare(_:)``): a batch calls it in its parallel
    /// workers, before the sequential stage.
    public func prepareGroups(_ pending: inout Pending, for indices: Range<Int>) {
        for index in indices {
            if let grouped = enrichers[index] as? any GroupEnricher { grouped.prepare(&pending.context) }
        }
    }

    /// Runs the enrichers at `indices` on several applications, in order: a ``GroupEnricher``
    /// takes them all at once, any other enricher one at a time.
    public func enrich(_ group: inout [Pending], with indices: Range<Int>) async {
        for index in indices {
            if let grouped = enrichers[index] as? any GroupEnricher {
                var contexts = group.map(\.context)
                await grouped.enrich(group: &contexts)
                for i in group.indices { group[i].context = contexts[i] }
            } else {
                for i in group.indices { await enrichers[index].enrich(&group[i].context) }
            }
        }
    }

    /// Evaluates an enriched application.
    public func finish(_ pending: Pending) -> Outcome {
        var report = evaluate(pending.context)
        report.coverage.inputs.append(contentsOf: pending.extraInputs)
        return Outcome(report: report, warnings: pending.warnings)
    }

    /// Screens a decoded record whose résumé comes as bytes (an upload), read with ``readers``
    /// as a `resume.path` file is: a résumé that cannot be read becomes a warning, the report's
    /// coverage says so, and the record is screened without it. The record's own `resume`
    /// field is not read. `filename` names the document in messages and in the report.
    public func screen(_ application: Application, resumeData: Data, filename: String, recordName: String = "record") async -> Outcome {
        var resume: ResumeDocument?
        var problem: String?
        do { resume = try readers.read(resumeData, filename: filename) } catch { problem = error.message }
        var warnings: [String] = []
        if let problem { warnings.append("\(recordName): resume: \(Self.stripFilePrefix(problem, filename)); screened without it") }
        return await screen(application, resume: resume, resumeProblem: problem, recordName: recordName, warnings: warnings)
    }

    func screen(_ application: Application, resume: ResumeDocument?, resumeProblem: String?, recordName: String, warnings: [String] = []) async -> Outcome {
        var pending = prepare(application, resume: resume, resumeProblem: resumeProblem, warnings: warnings)
        await enrich(&pending, with: enrichers.indices)
        return finish(pending)
    }

    /// Runs every indicator on an enriched context and scores the outcomes.
    public func evaluate(_ context: ScreeningContext) -> Report {
        let outcomes = catalog.indicators.map { indicator in
            (descriptor: indicator.descriptor,
             outcome: policy.disabled.contains(indicator.descriptor.code) ? nil : Optional(indicator.evaluate(context)))
        }
        let result = Scorer(policy: policy).score(outcomes)
        var inputs: [String] = []
        if let resume = context.resume {
            inputs.append("Résumé read: \(resume.sourceName) (\(resume.format))" + (resume.warnings.isEmpty ? "" : "; \(resume.warnings.count) warnings"))
        } else if let problem = context.resumeProblem {
            inputs.append("Résumé could not be read: \(problem). Checks that need it were skipped.")
        } else {
            inputs.append("No résumé given.")
        }
        inputs.append(contentsOf: context.facts.notes)
        return Report(
            applicationID: context.application.id,
            score: result.score,
            band: result.band,
            findings: result.findings,
            categories: result.categories,
            coverage: Coverage(checks: result.checks, inputs: inputs),
            policy: PolicyInfo(name: policy.name, version: policy.version, digest: policy.digest),
            thresholds: .init(review: policy.reviewThreshold, escalate: policy.escalateThreshold),
            toolVersion: toolVersion,
            generatedAt: context.asOf
        )
    }

    /// Whether JSON bytes are an application record rather than a résumé.
    static func looksLikeRecord(_ data: Data) -> Bool {
        guard let first = data.first(where: { ![0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains($0) }) else { return false }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return false }
        guard let value = try? JSONValue.parse(data) else { return true }  // malformed JSON: report it as a record problem
        guard case .object(let object) = value else { return true }
        if object["schema"] != nil || object["candidate"] != nil || object["events"] != nil { return true }
        return !(object["basics"] != nil || object["work"] != nil)
    }

    static func stripFilePrefix(_ message: String, _ file: String?) -> String {
        if let file, message.hasPrefix("\(file): ") { return String(message.dropFirst(file.count + 2)) }
        return message
    }
}

/// The tool's version, shown in every report.
public enum VetterVersion {
    public static let current = "0.1.0"
}
