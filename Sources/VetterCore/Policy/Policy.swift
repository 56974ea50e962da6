import Crypto
import Foundation
import Yams

/// Scores findings into a band: points per indicator, caps per category, band thresholds.
///
/// Policies are YAML files (`Config/policy.yaml` is the default). A policy names points only
/// where it departs from an indicator's default.
public struct Policy: Sendable, Equatable {
    public var name: String
    public var version: String
    /// Score at or above which an application is `review`.
    public var reviewThreshold: Double
    /// Score at or above which an application is `escalate`.
    public var escalateThreshold: Double
    /// Maximum points a category can contribute.
    public var categoryCaps: [IndicatorCategory: Double]
    /// Points per indicator code, overriding the indicator's default.
    public var points: [String: Double]
    /// Points per named variant of an indicator (`indicators.<CODE>.variants.<name>`), overriding
    /// the variant's default (``IndicatorDescriptor/variants``).
    public var variantPoints: [String: [String: Double]] = [:]
    /// Indicator codes switched off.
    public var disabled: Set<String>
    /// SHA-256 of the policy file's bytes, hex; reports carry it so a score can be traced to its policy.
    public var digest: String
    /// Data files named by the policy (`data:`), resolved against the policy file's folder.
    public var data: DataFiles = DataFiles()

    /// The `data:` section: files an organisation keeps beside its policy.
    public struct DataFiles: Sendable, Equatable {
        /// MaxMind-format databases (`data.geoip`), used when `--geoip` is not given.
        public var geoip: [String] = []
        /// A Tor exit list (`data.tor_exits`).
        public var torExits: String?
        /// The employer's corporate-VPN egress list (`data.corporate_egress`).
        public var corporateEgress: String?

        public init(geoip: [String] = [], torExits: String? = nil, corporateEgress: String? = nil) {
            self.geoip = geoip
            self.torExits = torExits
            self.corporateEgress = corporateEgress
        }
    }

    public init(
        name: String,
        version: String,
        reviewThreshold: Double,
        escalateThreshold: Double,
        categoryCaps: [IndicatorCategory: Double] = [:],
        points: [String: Double] = [:],
        disabled: Set<String> = [],
        digest: String = ""
    ) {
        self.name = name
        self.version = version
        self.reviewThreshold = reviewThreshold
        self.escalateThreshold = escalateThreshold
        self.categoryCaps = categoryCaps
        self.points = points
        self.disabled = disabled
        self.digest = digest
    }

    public func points(for descriptor: IndicatorDescriptor) -> Double {
        points[descriptor.code] ?? Double(descriptor.defaultPoints)
    }

    /// The points of a finding of `variant` (nil: the indicator's own points). An unknown variant
    /// counts as the indicator itself.
    public func points(for descriptor: IndicatorDescriptor, variant: String?) -> Double {
        guard let variant, let fallback = descriptor.variants[variant] else { return points(for: descriptor) }
        return variantPoints[descriptor.code]?[variant] ?? Double(fallback)
    }

    public func band(for score: Double) -> Band {
        score >= escalateThreshold ? .escalate : (score >= reviewThreshold ? .review : .clear)
    }
}

/// The outcome band. Vetter supports a human decision; no band rejects anyone.
public enum Band: String, Sendable, Codable, CaseIterable, Comparable {
    case clear, review, escalate

    public static func < (lhs: Band, rhs: Band) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A problem in a policy file, with its line.
public struct PolicyProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var message: String
    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// Why a policy file was refused: every problem found.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [PolicyProblem]
    public var description: String { problems.map { "\(file): \($0)" }.joined(separator: "\n") }
}

extension Policy {
    /// Reads and validates a policy file against the indicators in use.
    public static func load(contentsOf url: URL, catalog: IndicatorCatalog) throws(PolicyError) -> Policy {
        guard let data = try? Data(contentsOf: url) else {
            throw PolicyError(file: url.path, problems: [PolicyProblem(line: nil, message: "file not found or unreadable")])
        }
        var policy = try parse(data, file: url.lastPathComponent, catalog: catalog)
        let folder = url.deletingLastPathComponent()
        func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path }
        policy.data.geoip = policy.data.geoip.map(resolve)
        policy.data.torExits = policy.data.torExits.map(resolve)
        policy.data.corporateEgress = policy.data.corporateEgress.map(resolve)
        return policy
    }

    /// Parses and validates policy YAML. Unknown keys, unknown indicator codes and bad values are
    /// reported with their line; all problems are collected before failing.
    public static func parse(_ data: Data, file: String, catalog: IndicatorCatalog) throws(PolicyError) -> Policy {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(file: file, problems: [PolicyProblem(line: nil, message: "not valid UTF-8 text")])
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            let line = (error as? YamlError).flatMap(Self.line(of:))
            throw PolicyError(file: file, problems: [PolicyProblem(line: line, message: "not valid YAML")])
        }
        var problems: [PolicyProblem] = []
        func fail(_ node: Node?, _ message: String) { problems.append(PolicyProblem(line: node?.mark?.line, message: message)) }
        guard let root, case .mapping(let top) = root else {
            throw PolicyError(file: file, problems: [PolicyProblem(line: 1, message: "expected a mapping with name, version, bands, categories, indicators")])
        }
        var policy = Policy(name: "", version: "", reviewThreshold: 0, escalateThreshold: 0,
                            digest: SHA256.hash(data: data).hexString)
        func number(_ node: Node, _ what: String) -> Double? {
            guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
                fail(node, "\(what) must be a number"); return nil
            }
            guard value >= 0 else { fail(node, "\(what) must not be negative"); return nil }
            return value
        }
        var seenBands = false
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "name":
                policy.name = value.string ?? ""
                if policy.name.isEmpty { fail(value, "name must be a non-empty string") }
            case "version":
                policy.version = value.string ?? ""
                if policy.version.isEmpty { fail(value, "version must be a string or number") }
            case "bands":
                seenBands = true
                guard case .mapping(let bands) = value else { fail(value, "bands must be a mapping with review and escalate"); continue }
                var parsed = 0
                for (bandKey, bandValue) in bands {
                    switch bandKey.string ?? "" {
                    case "review":
                        if let value = number(bandValue, "bands.review") { policy.reviewThreshold = value; parsed += 1 }
                    case "escalate":
                        if let value = number(bandValue, "bands.escalate") { policy.escalateThreshold = value; parsed += 1 }
                    default: fail(bandKey, "unknown key 'bands.\(bandKey.string ?? "")' (expected review, escalate)")
                    }
                }
                if bands["review"] == nil { fail(value, "bands.review is missing") }
                if bands["escalate"] == nil { fail(value, "bands.escalate is missing") }
                if parsed == 2, policy.escalateThreshold <= policy.reviewThreshold {
                    fail(bands["escalate"] ?? value, "bands.escalate must be greater than bands.review")
                }
            case "categories":
                guard case .mapping(let categories) = value else { fail(value, "categories must be a mapping"); continue }
                let known = Set(catalog.indicators.map(\.descriptor.category.rawValue) + IndicatorCategory.all.map(\.rawValue))
                for (categoryKey, categoryValue) in categories {
                    let category = categoryKey.string ?? ""
                    if !known.contains(category) {
                        fail(categoryKey, "unknown category '\(category)' (known: \(known.sorted().joined(separator: ", ")))")
                        continue
                    }
                    guard case .mapping(let fields) = categoryValue else { fail(categoryValue, "categories.\(category) must be a mapping with cap"); continue }
                    for (fieldKey, fieldValue) in fields {
                        if fieldKey.string == "cap" {
                            if let cap = number(fieldValue, "categories.\(category).cap") { policy.categoryCaps[IndicatorCategory(rawValue: category)] = cap }
                        } else {
                            fail(fieldKey, "unknown key 'categories.\(category).\(fieldKey.string ?? "")' (expected cap)")
                        }
                    }
                }
            case "indicators":
                guard case .mapping(let indicators) = value else { fail(value, "indicators must be a mapping of codes"); continue }
                for (codeKey, settings) in indicators {
                    let code = codeKey.string ?? ""
                    guard catalog.indicator(code: code) != nil else {
                        fail(codeKey, "unknown indicator code '\(code)' (see `vetter indicators`)")
                        continue
                    }
                    guard case .mapping(let fields) = settings else { fail(settings, "indicators.\(code) must be a mapping with points, enabled and/or variants"); continue }
                    for (fieldKey, fieldValue) in fields {
                        switch fieldKey.string ?? "" {
                        case "points":
                            if let points = number(fieldValue, "indicators.\(code).points") { policy.points[code] = points }
                        case "enabled":
                            guard let enabled = fieldValue.bool else { fail(fieldValue, "indicators.\(code).enabled must be true or false"); continue }
                            if !enabled { policy.disabled.insert(code) }
                        case "variants":
                            let known = catalog.indicator(code: code)?.descriptor.variants.keys.sorted() ?? []
                            guard case .mapping(let variants) = fieldValue else {
                                fail(fieldValue, "indicators.\(code).variants must be a mapping of variant names to points"); continue
                            }
                            for (variantKey, variantValue) in variants {
                                let variant = variantKey.string ?? ""
                                guard known.contains(variant) else {
                                    fail(variantKey, known.isEmpty
                                         ? "indicator \(code) has no variants"
                                         : "unknown variant '\(variant)' of \(code) (known: \(known.joined(separator: ", ")))")
                                    continue
                                }
                                if let points = number(variantValue, "indicators.\(code).variants.\(variant)") {
                                    policy.variantPoints[code, default: [:]][variant] = points
                                }
                            }
                        default:
                            fail(fieldKey, "unknown key 'indicators.\(code).\(fieldKey.string ?? "")' (expected points, enabled, variants)")
                        }
                    }
                }
            case "data":
                guard case .mapping(let files) = value else { fail(value, "data must be a mapping with geoip, tor_exits, corporate_egress"); continue }
                for (fileKey, fileValue) in files {
                    switch fileKey.string ?? "" {
                    case "geoip":
                        if case .sequence(let items) = fileValue {
                            for item in items {
                                if let path = item.string, !path.isEmpty { policy.data.geoip.append(path) } else { fail(item, "data.geoip entries must be file paths") }
                            }
                        } else if let path = fileValue.string, !path.isEmpty {
                            policy.data.geoip = [path]
                        } else {
                            fail(fileValue, "data.geoip must be a path or a list of paths")
                        }
                    case "tor_exits":
                        if let path = fileValue.string, !path.isEmpty { policy.data.torExits = path } else { fail(fileValue, "data.tor_exits must be a file path") }
                    case "corporate_egress":
                        if let path = fileValue.string, !path.isEmpty { policy.data.corporateEgress = path } else { fail(fileValue, "data.corporate_egress must be a file path") }
                    default:
                        fail(fileKey, "unknown key 'data.\(fileKey.string ?? "")' (expected geoip, tor_exits, corporate_egress)")
                    }
                }
            default:
                fail(keyNode, "unknown key '\(key)' (expected name, version, bands, categories, indicators, data)")
            }
        }
        if policy.name.isEmpty, top["name"] == nil { fail(root, "name is missing") }
        if !seenBands { fail(root, "bands is missing") }
        guard problems.isEmpty else {
            throw PolicyError(file: file, problems: problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return policy
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}
