import Foundation
// Copied from Tests/VetterNetworkTests/Support/MMDBWriter.swift (made public) so that the
// evaluation generator can write a tiny IP database for the documentation ranges it uses.
import VetterNetwork

/// A small writer for MaxMind DB files (format 2.0, "MaxMind DB File Format Specification"),
/// enough to build test databases from known ranges without Python: an IPv6 (or IPv4) search
/// tree with 32-bit records, IPv4 networks under ::/96, and a deduplicated data section.
public struct MMDBWriter {
    public indirect enum Value: Hashable {
        case string(String)
        case double(Double)
        case uint16(UInt16)
        case uint32(UInt32)
        case uint64(UInt64)
        case bool(Bool)
        case map([(String, Value)])
        case array([Value])

        public static func == (a: Value, b: Value) -> Bool { a.encoded() == b.encoded() }
        public func hash(into h: inout Hasher) { h.combine(encoded()) }

        func encoded() -> [UInt8] {
            switch self {
            case .string(let s):
                let bytes = Array(s.utf8)
                return MMDBWriter.control(type: 2, size: bytes.count) + bytes
            case .double(let d):
                return MMDBWriter.control(type: 3, size: 8) + withUnsafeBytes(of: d.bitPattern.bigEndian) { Array($0) }
            case .uint16(let v): return MMDBWriter.unsigned(type: 5, UInt64(v))
            case .uint32(let v): return MMDBWriter.unsigned(type: 6, UInt64(v))
            case .uint64(let v): return MMDBWriter.unsigned(type: 9, v)
            case .bool(let b): return MMDBWriter.control(type: 14, size: b ? 1 : 0)
            case .map(let pairs):
                return MMDBWriter.control(type: 7, size: pairs.count) + pairs.flatMap { Value.string($0.0).encoded() + $0.1.encoded() }
            case .array(let items):
                return MMDBWriter.control(type: 11, size: items.count) + items.flatMap { $0.encoded() }
            }
        }
    }

    var databaseType: String
    var ipVersion = 6
    public var buildEpoch: UInt64 = 1_780_000_000  // 2026-05-28
    var languages = ["en"]
    private var networks: [(bits: [Bool], value: Value)] = []

    public init(databaseType: String, ipVersion: Int = 6, buildEpoch: UInt64 = 1_780_000_000) {
        self.databaseType = databaseType
        self.ipVersion = ipVersion
        self.buildEpoch = buildEpoch
    }

    /// Adds `cidr` (IPv4 or IPv6) with `value`. Insert broader networks before narrower ones.
    public mutating func insert(_ cidr: String, _ value: Value) {
        guard let network = IPNetwork(cidr) else { fatalError("bad CIDR \(cidr)") }
        var bits: [Bool] = []
        if network.address.isIPv4 && ipVersion == 6 { bits = Array(repeating: false, count: 96) }
        for byte in network.address.bytes { for i in 0..<8 { bits.append(byte & (0x80 >> UInt8(i)) != 0) } }
        let length = (network.address.isIPv4 && ipVersion == 6 ? 96 : 0) + network.prefixLength
        networks.append((Array(bits[0..<length]), value))
    }

    private enum Record { case empty, node(Int), data(Int) }

    public func build() -> Data {
        var nodes: [[Record]] = [[.empty, .empty]]
        var values: [Value] = []
        var valueIndex: [Value: Int] = [:]
        for (bits, value) in networks {
            let vi: Int
            if let i = valueIndex[value] { vi = i } else { vi = values.count; values.append(value); valueIndex[value] = vi }
            var node = 0
            for (depth, bit) in bits.enumerated() {
                let side = bit ? 1 : 0
                if depth == bits.count - 1 {
                    nodes[node][side] = .data(vi)
                    break
                }
                switch nodes[node][side] {
                case .node(let next): node = next
                case .empty:
                    nodes.append([.empty, .empty]); nodes[node][side] = .node(nodes.count - 1); node = nodes.count - 1
                case .data(let existing):
                    nodes.append([.data(existing), .data(existing)]); nodes[node][side] = .node(nodes.count - 1); node = nodes.count - 1
                }
            }
        }
        // Data section with each distinct value once.
        var dataSection: [UInt8] = []
        var offsets: [Int] = []
        for value in values { offsets.append(dataSection.count); dataSection += value.encoded() }

        let nodeCount = nodes.count
        var out = [UInt8]()
        out.reserveCapacity(nodeCount * 8 + 16 + dataSection.count + 256)
        for node in nodes {
            for record in node {
                let v: UInt32
                switch record {
                case .empty: v = UInt32(nodeCount)
                case .node(let i): v = UInt32(i)
                case .data(let i): v = UInt32(nodeCount + 16 + offsets[i])
                }
                out += withUnsafeBytes(of: v.bigEndian) { Array($0) }
            }
        }
        out += Array(repeating: 0, count: 16)
        out += dataSection
        out += [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)
        out += Value.map([
            ("binary_format_major_version", .uint16(2)),
            ("binary_format_minor_version", .uint16(0)),
            ("build_epoch", .uint64(buildEpoch)),
            ("database_type", .string(databaseType)),
            ("description", .map([("en", .string("Vetter test database"))])),
            ("ip_version", .uint16(UInt16(ipVersion))),
            ("languages", .array(languages.map { .string($0) })),
            ("node_count", .uint32(UInt32(nodeCount))),
            ("record_size", .uint16(32)),
        ]).encoded()
        return Data(out)
    }

    public func write(to url: URL) throws {
        try build().write(to: url)
    }

    static func unsigned(type: Int, _ v: UInt64) -> [UInt8] {
        var bytes = withUnsafeBytes(of: v.bigEndian) { Array($0) }
        while let first = bytes.first, first == 0 { bytes.removeFirst() }
        return control(type: type, size: bytes.count) + bytes
    }

    static func control(type: Int, size: Int) -> [UInt8] {
        var sizeBits: UInt8
        var extra: [UInt8] = []
        if size < 29 { sizeBits = UInt8(size) }
        else if size < 285 { sizeBits = 29; extra = [UInt8(size - 29)] }
        else if size < 65_821 { sizeBits = 30; let s = size - 285; extra = [UInt8(s >> 8), UInt8(s & 0xff)] }
        else { sizeBits = 31; let s = size - 65_821; extra = [UInt8(s >> 16), UInt8((s >> 8) & 0xff), UInt8(s & 0xff)] }
        if type <= 7 { return [UInt8(type << 5) | sizeBits] + extra }
        return [sizeBits, UInt8(type - 7)] + extra
    }
}

/// Records in the layouts of the databases users have.
public enum MMDBLayouts {
    public static func city(_ country: String, region: String? = nil, city: String? = nil, lat: Double, lon: Double, zone: String?) -> MMDBWriter.Value {
        var pairs: [(String, MMDBWriter.Value)] = [
            ("country", .map([("iso_code", .string(country)), ("names", .map([("en", .string(country))]))])),
            ("location", .map([("latitude", .double(lat)), ("longitude", .double(lon))] + (zone.map { [("time_zone", MMDBWriter.Value.string($0))] } ?? []))),
        ]
        if let region { pairs.append(("subdivisions", .array([.map([("iso_code", .string(region))])]))) }
        if let city { pairs.append(("city", .map([("names", .map([("en", .string(city))]))]))) }
        return .map(pairs)
    }

    public static func country(_ country: String) -> MMDBWriter.Value {
        .map([("country", .map([("iso_code", .string(country))]))])
    }

    public static func asn(_ number: UInt32, _ org: String) -> MMDBWriter.Value {
        .map([("autonomous_system_number", .uint32(number)), ("autonomous_system_organization", .string(org))])
    }

    /// IPinfo Lite: flat keys, ASN as a string.
    public static func ipinfoLite(_ country: String, asn: String, name: String) -> MMDBWriter.Value {
        .map([("asn", .string(asn)), ("as_name", .string(name)), ("as_domain", .string("example.net")),
              ("country_code", .string(country)), ("country", .string(country)), ("continent_code", .string("XX"))])
    }

    public static func anonymous(vpn: Bool = false, hosting: Bool = false, tor: Bool = false) -> MMDBWriter.Value {
        .map([("is_anonymous", .bool(true)), ("is_anonymous_vpn", .bool(vpn)), ("is_hosting_provider", .bool(hosting)), ("is_tor_exit_node", .bool(tor))])
    }
}
