import Foundation
import VetterCore

/// A problem in a network classification file, with the line.
public struct NetworkDataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
}

/// One row of `Config/network/networks.tsv`.
public struct NetworkClassEntry: Sendable, Equatable {
    public enum Match: Sendable, Equatable {
        case network(IPNetwork)
        case asn(Int)
    }

    public var match: Match
    public var classes: Set<String>
    public var provider: String
    public var source: String
    public var reviewed: String
    /// Entries for rotating addresses (VPN exits) apply only to events up to this day.
    public var validUntil: Date?
    public var note: String
}

/// Classes networks from data: provider ranges and ASNs shipped in `Config/network/`, a Tor
/// exit list and the employer's corporate-VPN egress list that the user supplies.
public struct NetworkClassifier: Sendable {
    public static let knownClasses: Set<String> = [
        NetworkClass.hosting, NetworkClass.vpn, NetworkClass.astrillVPN, NetworkClass.tor, NetworkClass.proxy,
        NetworkClass.residentialProxy, NetworkClass.dprk, NetworkClass.mobile, NetworkClass.corporateVPN,
    ]

    public private(set) var entries: [NetworkClassEntry] = []
    /// Exact addresses (Tor exits, corporate egress /32s) for a quick lookup.
    private var exact: [IPAddress: Set<String>] = [:]
    private var ranges: [(IPNetwork, Set<String>)] = []
    /// What was loaded, for the coverage section.
    public private(set) var summary: [String] = []

    public init() {}

    /// Loads `networks.tsv` from a `Config/network` folder.
    public static func load(configDirectory: URL) throws(NetworkDataError) -> NetworkClassifier {
        var classifier = NetworkClassifier()
        try classifier.addClassification(contentsOf: configDirectory.appendingPathComponent("networks.tsv"))
        return classifier
    }

    /// Adds a classification file: tab-separated `network  classes  provider  source  reviewed
    /// valid_until  note`; `network` is a CIDR, an address or `AS<number>`; `classes` is
    /// comma-separated; `source` and `reviewed` (YYYY-MM-DD) are required; `valid_until` is a
    /// day or `-`.
    public mutating func addClassification(contentsOf url: URL) throws(NetworkDataError) {
        let file = url.lastPathComponent
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw NetworkDataError(file: file, message: "cannot read the file")
        }
        var count = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cols = raw.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cols.count >= 6 else {
                throw NetworkDataError(file: file, line: index + 1, message: "expected at least 6 tab-separated columns, found \(cols.count)")
            }
            let match: NetworkClassEntry.Match
            if cols[0].uppercased().hasPrefix("AS"), let asn = Int(cols[0].dropFirst(2)) {
                match = .asn(asn)
            } else if let network = IPNetwork(cols[0]) {
                match = .network(network)
            } else {
                throw NetworkDataError(file: file, line: index + 1, message: "\"\(cols[0])\" is neither a CIDR, an address nor AS<number>")
            }
            let classes = Set(cols[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            guard !classes.isEmpty else { throw NetworkDataError(file: file, line: index + 1, message: "no class") }
            guard !cols[3].isEmpty else { throw NetworkDataError(file: file, line: index + 1, message: "every entry needs a source") }
            guard DateParsing.iso8601(cols[4], dateOnlyAllowed: true) != nil else {
                throw NetworkDataError(file: file, line: index + 1, message: "reviewed must be a date (YYYY-MM-DD)")
            }
            var validUntil: Date?
            if cols[5] != "-" && !cols[5].isEmpty {
                guard let day = DateParsing.iso8601(cols[5], dateOnlyAllowed: true) else {
                    throw NetworkDataError(file: file, line: index + 1, message: "valid_until must be a date or -")
                }
                validUntil = day.addingTimeInterval(86_400)
            }
            let entry = NetworkClassEntry(
                match: match, classes: classes, provider: cols[2], source: cols[3], reviewed: cols[4],
                validUntil: validUntil, note: cols.count > 6 ? cols[6] : ""
            )
            entries.append(entry)
            count += 1
        }
        summary.append("\(file): \(count) network classification entries")
    }

    /// Adds a Tor exit list: one address per line (check.torproject.org/torbulkexitlist) or
    /// `ExitAddress <ip> <date>` lines (exit-addresses). Other lines are ignored.
    public mutating func addTorExitList(contentsOf url: URL) throws(NetworkDataError) {
        let count = try addAddressList(url, classes: [NetworkClass.tor], keyword: "ExitAddress")
        summary.append("Tor exit list \(url.lastPathComponent): \(count) addresses")
    }

    /// Adds the employer's corporate-VPN egress list: one CIDR or address per line, `#` comments.
    /// Events from these addresses are the employer's own network and never fire network indicators.
    public mutating func addCorporateEgress(contentsOf url: URL) throws(NetworkDataError) {
        let count = try addAddressList(url, classes: [NetworkClass.corporateVPN], keyword: nil)
        summary.append("corporate VPN egress list \(url.lastPathComponent): \(count) networks")
    }

    /// Adds networks given in code (tests, or a policy file's inline list).
    public mutating func add(_ networks: [IPNetwork], classes: Set<String>) {
        for network in networks { insert(network, classes) }
    }

    private mutating func addAddressList(_ url: URL, classes: Set<String>, keyword: String?) throws(NetworkDataError) -> Int {
        let file = url.lastPathComponent
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw NetworkDataError(file: file, message: "cannot read the file")
        }
        var count = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let candidate: String
            if let keyword {
                if fields.first == keyword, fields.count >= 2 { candidate = fields[1] }
                else if fields.count == 1 { candidate = fields[0] }
                else { continue }  // other exit-addresses lines (ExitNode, Published, LastStatus)
            } else {
                candidate = fields[0]
            }
            guard let network = IPNetwork(candidate) else {
                throw NetworkDataError(file: file, line: index + 1, message: "not an address or CIDR")
            }
            insert(network, classes)
            count += 1
        }
        return count
    }

    private mutating func insert(_ network: IPNetwork, _ classes: Set<String>) {
        if network.prefixLength == network.address.bytes.count * 8 {
            exact[network.address, default: []].formUnion(classes)
        } else {
            ranges.append((network, classes))
        }
    }

    /// The classes that apply to `ip` (with `asn` from the ASN database, if any) for an event on `date`.
    public func classify(_ ip: IPAddress, asn: Int?, at date: Date?) -> (classes: Set<String>, providers: [String]) {
        var classes = exact[ip] ?? []
        var providers: [String] = []
        for (network, cls) in ranges where network.contains(ip) { classes.formUnion(cls) }
        for entry in entries {
            if let validUntil = entry.validUntil, let date, date >= validUntil { continue }
            let hit: Bool
            switch entry.match {
            case .network(let network): hit = network.contains(ip)
            case .asn(let number): hit = asn == number
            }
            if hit {
                classes.formUnion(entry.classes)
                if !entry.provider.isEmpty { providers.append(entry.provider) }
            }
        }
        return (classes, providers)
    }
}
