import Foundation
import VetterCore
import VetterDocuments
import VetterStore

/// Runs the real pipeline over a generated population, in application order, with a fresh
/// identity store so that reuse across the population is found, and re-screens every applicant
/// under names of other origin groups (the name-swap audit). The screener never sees truth.json.
public struct EvaluationRunner: Sendable {
    public var catalog: IndicatorCatalog
    public var policy: Policy
    /// Reference and network enrichers, as `vetter screen` builds them.
    public var enrichers: [any Enricher]
    /// Name swaps per applicant (other origin groups, rotating); `NameOrigin.allCases.count - 1` runs all.
    public var swapsPerApplicant: Int
    /// A SQLite store path; nil makes a fresh temporary one.
    public var storePath: String?
    /// False runs without the identity store (reuse checks skipped), to separate name effects.
    public var useStore = true

    public init(catalog: IndicatorCatalog = .core, policy: Policy, enrichers: [any Enricher], swapsPerApplicant: Int = 2, storePath: String? = nil) {
        self.catalog = catalog
        self.policy = policy
        self.enrichers = enrichers
        self.swapsPerApplicant = swapsPerApplicant
        self.storePath = storePath
    }

    /// The identity-store key of an evaluation's fresh store (synthetic data only).
    static let evaluationKey = "vetter-eval: fixed identity-store key for synthetic populations only"

    public enum Failure: Error, CustomStringConvertible {
        case population(String)
        public var description: String { switch self { case .population(let m): m } }
    }

    /// Loads `population.json` and regenerates the drafts (for the name swaps), checking that
    /// they match `truth.json`.
    public static func load(_ directory: URL) throws -> (truth: [Truth], drafts: [Draft]) {
        let decoder = JSONDecoder()
        guard let manifestData = try? Data(contentsOf: directory.appendingPathComponent("population.json")),
              let manifest = try? decoder.decode(PopulationGenerator.Manifest.self, from: manifestData) else {
            throw Failure.population("\(directory.path): no population.json (make one with `vetter eval generate DIR`)")
        }
        guard let truthData = try? Data(contentsOf: directory.appendingPathComponent("truth.json")),
              let truth = try? decoder.decode([Truth].self, from: truthData) else {
            throw Failure.population("\(directory.path): truth.json missing or unreadable")
        }
        let drafts = manifest.generator.generate()
        guard drafts.map(\.truth) == truth else {
            throw Failure.population("\(directory.path): truth.json does not match seed \(manifest.seed); regenerate the population")
        }
        return (truth, drafts)
    }

    public func run(population directory: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> [ScreenedApplicant] {
        let (_, drafts) = try Self.load(directory)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let path = storePath ?? work.appendingPathComponent("identity.sqlite").path
        // A fresh store gets a fixed key, so a rerun gives the same numbers: résumé shingles are
        // hashed with the key, and a random key each run moved near-duplicate estimates close to
        // the threshold (and the clusters they join) from run to run. The population is synthetic.
        let environment = storePath == nil ? [IdentityKey.environmentVariable: Self.evaluationKey] : [:]
        let opened = try IdentityStores.openSQLite(path: path, keyFile: nil, environment: environment)
        let recordingStore: [any Enricher] = useStore ? [IdentityStoreEnricher(store: opened.store, key: opened.key, record: true)] : []
        let lookupStore: [any Enricher] = useStore ? [IdentityStoreEnricher(store: opened.store, key: opened.key, record: false)] : []
        let recording = Screener(catalog: catalog, policy: policy, enrichers: enrichers + recordingStore, readers: .all)
        let lookup = Screener(catalog: catalog, policy: policy, enrichers: enrichers + lookupStore, readers: .all)
        let swapDirectory = work.appendingPathComponent("swaps")
        var rows: [ScreenedApplicant] = []
        for (index, draft) in drafts.enumerated() {
            let url = directory.appendingPathComponent("applications/\(draft.truth.id).json")
            // Swaps first, looked up only: the store then holds exactly what the applicant's own
            // screening will see (every earlier applicant, not this one, nor its résumé's shingles
            // in the store's frequency counts), so only the name differs between the screenings.
            let others = NameOrigin.allCases.filter { $0 != draft.truth.nameOrigin }
            let swaps = min(swapsPerApplicant, others.count)
            var swapped: [(name: String, report: Report)] = []
            for k in 0..<swaps {
                let name = PopulationGenerator.name(of: others[(index + k) % others.count], index: index + k)
                let swapURL = try PopulationGenerator.write(draft, name: name, to: swapDirectory)
                do { swapped.append((name, try await lookup.screen(fileAt: swapURL).report)) } catch { throw Failure.population(error.description) }
            }
            let report: Report
            do { report = try await recording.screen(fileAt: url).report } catch {
                throw Failure.population(error.description)
            }
            var violations: [String] = []
            for (name, swapped) in swapped {
                if swapped.score != report.score || swapped.band != report.band || swapped.findings.map(\.id) != report.findings.map(\.id) {
                    let changed = Set(swapped.findings.map(\.id)).symmetricDifference(report.findings.map(\.id)).sorted()
                    let moved = zip(swapped.findings, report.findings).filter { $0.0.id == $0.1.id && $0.0.points != $0.1.points }.map(\.0.id)
                    violations.append("\(name): \(Int(report.score))→\(Int(swapped.score)) [\((changed + moved).joined(separator: ","))]")
                }
            }
            rows.append(ScreenedApplicant(
                truth: draft.truth, score: report.score, band: report.band, findings: report.findings.map(\.id),
                findingPoints: report.findings.map(\.points),
                findingsWithoutEvidence: report.findings.filter(\.evidence.isEmpty).count,
                swapViolations: violations, swapsRun: swaps))
            progress?(index + 1, drafts.count)
        }
        return rows
    }
}
