import Foundation

/// A deterministic random number generator (SplitMix64): the same seed gives the same
/// population on every platform, unlike `SystemRandomNumberGenerator`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    /// Picks a key by weight; weights need not sum to one.
    public mutating func weighted<T>(_ items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var x = Double(next() >> 11) / Double(1 << 53) * total
        for (item, weight) in items {
            if x < weight { return item }
            x -= weight
        }
        return items[items.count - 1].0
    }
}

/// The name-origin groups of the audit. Labels are used only by the audit, never by the screener.
public enum NameOrigin: String, CaseIterable, Codable, Sendable {
    case anglo, hispanic, westAfrican = "west-african", eastAfrican = "east-african", chinese, korean, japanese,
         vietnamese, southAsian = "south-asian", arabic, slavic, filipino, brazilian, german

    /// Given names and family names, with diacritics and transliterations as people write them.
    var pools: (given: [String], family: [String]) {
        switch self {
        case .anglo: (["James", "Emily", "Michael", "Sarah", "David", "Jessica", "Robert", "Ashley", "Liam", "Hannah"],
                      ["Smith", "Johnson", "Williams", "Brown", "Taylor", "Miller", "Davis", "Wilson", "Anderson", "Clarke"])
        case .hispanic: (["José", "María", "Alejandro", "Lucía", "Carlos", "Sofía", "Juan Pablo", "Valentina", "Diego", "Ana"],
                         ["García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez", "Quispe"])
        case .westAfrican: (["Oluwaseun", "Chinedu", "Ngozi", "Kwame", "Ama", "Emeka", "Adaeze", "Kofi", "Folake", "Yaw"],
                            ["Adeyemi", "Okafor", "Mensah", "Okonkwo", "Boateng", "Nwosu", "Asante", "Balogun", "Owusu", "Eze"])
        case .eastAfrican: (["Wanjiru", "Abebe", "Amina", "Tesfaye", "Achieng", "Baraka", "Hiwot", "Juma", "Selam", "Kiptoo"],
                            ["Kamau", "Bekele", "Mohamed", "Otieno", "Haile", "Mwangi", "Tadesse", "Njoroge", "Wekesa", "Girma"])
        case .chinese: (["Wei", "Xiaoming", "Li Na", "Jun", "Mei", "Hao", "Yan", "Zhiwei", "Ling", "Qiang"],
                        ["Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"])
        case .korean: (["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-hyun", "Ji-woo", "Hyun-woo", "Soo-ah", "Jae-won", "Yuna"],
                       ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"])
        case .japanese: (["Yuki", "Haruto", "Sakura", "Ren", "Aoi", "Sota", "Hina", "Kenji", "Mei", "Takumi"],
                         ["Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Sato", "Kato"])
        case .vietnamese: (["Minh", "Thảo", "Huy", "Lan", "Tuấn", "Ngọc", "Dũng", "Linh", "Phương", "Quang"],
                           ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"])
        case .southAsian: (["Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Sneha", "Arjun", "Kavya", "Imran", "Lakshmi"],
                           ["Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Khan", "Nair", "Chowdhury", "Singh", "Menon"])
        case .arabic: (["Ahmed", "Fatima", "Omar", "Layla", "Youssef", "Noor", "Khalid", "Mariam", "Hassan", "Rania"],
                       ["Al-Sayed", "Haddad", "Hassan", "Mansour", "Khoury", "Nasser", "Saleh", "Aziz", "Farouk", "Darwish"])
        case .slavic: (["Olga", "Dmitri", "Katarzyna", "Piotr", "Anastasia", "Ivan", "Jelena", "Marek", "Svetlana", "Tomasz"],
                       ["Kuznetsova", "Ivanov", "Kowalski", "Nowak", "Petrović", "Smirnov", "Wiśniewska", "Horvat", "Novák", "Shevchenko"])
        case .filipino: (["Jose Mari", "Maricel", "Rommel", "Kristine", "Jericho", "Ligaya", "Paolo", "Divina", "Renato", "Joy"],
                         ["Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Villanueva", "Dela Cruz", "Aquino"])
        case .brazilian: (["João", "Ana Clara", "Mateus", "Beatriz", "Gabriel", "Larissa", "Thiago", "Camila", "Rafael", "Júlia"],
                          ["Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Carvalho", "Almeida", "Ferreira", "Ribeiro"])
        case .german: (["Lukas", "Anna", "Maximilian", "Lena", "Jonas", "Sophie", "Felix", "Marie", "Jürgen", "Katrin"],
                       ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"])
        }
    }

    /// Family name first, as many East Asian names are written, half the time for these groups.
    var familyFirstSometimes: Bool { [.chinese, .korean, .vietnamese].contains(self) }
}

/// A place with the documentation /27 or /26 the generator's IP database maps to it.
public struct Place: Sendable {
    public var city: String
    public var region: String?
    public var postalCode: String
    public var country: String
    public var zone: String
    public var lat: Double
    public var lon: Double
    /// The documentation network geolocated here (in the generated `.mmdb`).
    public var cidr: String
    /// Calling-code phone prefix used for a local number here (fictional ranges only).
    public var phonePrefix: String
    /// How the database marks the network: nil, "vpn" or "hosting".
    public var anonymous: String? = nil
    /// The IPv6 documentation /48 (RFC 3849) for residential addresses here: one /64 per household,
    /// so that unrelated applicants never share an address or a /64 by accident.
    public var v6: String = ""

    /// A residential address of household `n` (a /64 of its own).
    public func residentialIP(_ n: Int) -> String { "\(v6):\(String(n % 0xffff + 1, radix: 16))::1" }

    /// The n-th host of the network (1-based, wraps inside the network).
    public func ip(_ n: Int) -> String {
        let parts = cidr.split(separator: "/")
        let base = parts[0].split(separator: ".").map { Int($0)! }
        let size = 1 << (32 - Int(parts[1])!)
        let host = 1 + (abs(n) % (size - 2))
        return "\(base[0]).\(base[1]).\(base[2]).\(base[3] + host)"
    }
}

/// The synthetic world: US cities where the jobs are and applicants live, other countries
/// (origins, travel, and fake operators' true locations from indicators.md §4.7), and two
/// anonymising networks. Every address is in a documentation range (RFC 5737).
public enum World {
    public static let usCities: [Place] = [
        Place(city: "Austin", region: "TX", postalCode: "78704", country: "US", zone: "America/Chicago", lat: 30.27, lon: -97.74, cidr: "192.0.2.0/27", phonePrefix: "+1 512 555 01", v6: "2001:db8:1"),
        Place(city: "New York", region: "NY", postalCode: "10001", country: "US", zone: "America/New_York", lat: 40.71, lon: -74.0, cidr: "192.0.2.32/27", phonePrefix: "+1 212 555 01", v6: "2001:db8:2"),
        Place(city: "San Francisco", region: "CA", postalCode: "94103", country: "US", zone: "America/Los_Angeles", lat: 37.77, lon: -122.42, cidr: "192.0.2.64/27", phonePrefix: "+1 415 555 01", v6: "2001:db8:3"),
        Place(city: "Denver", region: "CO", postalCode: "80202", country: "US", zone: "America/Denver", lat: 39.74, lon: -104.99, cidr: "192.0.2.96/27", phonePrefix: "+1 303 555 01", v6: "2001:db8:4"),
    ]
    public static let london = Place(city: "London", region: "ENG", postalCode: "EC1A 1BB", country: "GB", zone: "Europe/London", lat: 51.51, lon: -0.13, cidr: "192.0.2.128/26", phonePrefix: "+44 7700 900", v6: "2001:db8:5")
    public static let berlin = Place(city: "Berlin", region: "BE", postalCode: "10115", country: "DE", zone: "Europe/Berlin", lat: 52.52, lon: 13.40, cidr: "192.0.2.192/26", phonePrefix: "+1 646 555 01", v6: "2001:db8:6")
    public static let bengaluru = Place(city: "Bengaluru", region: "KA", postalCode: "560001", country: "IN", zone: "Asia/Kolkata", lat: 12.97, lon: 77.59, cidr: "198.51.100.0/26", phonePrefix: "+1 646 555 01", v6: "2001:db8:7")
    public static let lagos = Place(city: "Lagos", region: "LA", postalCode: "100001", country: "NG", zone: "Africa/Lagos", lat: 6.52, lon: 3.38, cidr: "198.51.100.64/26", phonePrefix: "+1 646 555 01", v6: "2001:db8:8")
    public static let saoPaulo = Place(city: "São Paulo", region: "SP", postalCode: "01000-000", country: "BR", zone: "America/Sao_Paulo", lat: -23.55, lon: -46.63, cidr: "198.51.100.128/26", phonePrefix: "+1 646 555 01", v6: "2001:db8:9")
    public static let manila = Place(city: "Manila", region: "NCR", postalCode: "1000", country: "PH", zone: "Asia/Manila", lat: 14.60, lon: 120.98, cidr: "198.51.100.192/26", phonePrefix: "+1 646 555 01", v6: "2001:db8:a")
    /// Fake operators' true locations (indicators.md §4.7: Shenyang/Dandong, Vladivostok).
    public static let shenyang = Place(city: "Shenyang", region: "LN", postalCode: "110000", country: "CN", zone: "Asia/Shanghai", lat: 41.80, lon: 123.43, cidr: "203.0.113.0/26", phonePrefix: "+1 646 555 01", v6: "2001:db8:b")
    public static let vladivostok = Place(city: "Vladivostok", region: "PRI", postalCode: "690000", country: "RU", zone: "Asia/Vladivostok", lat: 43.12, lon: 131.89, cidr: "203.0.113.64/26", phonePrefix: "+1 646 555 01", v6: "2001:db8:c")
    /// A commercial VPN's US exit (Astrill-style, S42), flagged as VPN in the anonymous-IP database.
    public static let vpnExit = Place(city: "Los Angeles", region: "CA", postalCode: "90012", country: "US", zone: "America/Los_Angeles", lat: 34.05, lon: -118.24, cidr: "203.0.113.128/26", phonePrefix: "", anonymous: "vpn")
    /// Corporate VPN egress of the applicants' current employers (a hub in Virginia), marked hosting.
    public static let corporateEgress = Place(city: "Ashburn", region: "VA", postalCode: "20147", country: "US", zone: "America/New_York", lat: 39.04, lon: -77.49, cidr: "203.0.113.192/26", phonePrefix: "", anonymous: "hosting")

    public static let abroad: [Place] = [london, berlin, bengaluru, lagos, saoPaulo, manila]

    /// Writes `eval-city.mmdb` (GeoLite2-City layout) and `eval-anonymous.mmdb` (GeoIP2
    /// Anonymous-IP layout) for the ranges above into `directory`.
    public static func writeDatabases(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var city = MMDBWriter(databaseType: "GeoLite2-City")
        for place in usCities + abroad + [shenyang, vladivostok, vpnExit, corporateEgress] {
            let value = MMDBLayouts.city(place.country, region: place.region, city: place.city, lat: place.lat, lon: place.lon, zone: place.zone)
            city.insert(place.cidr, value)
            if !place.v6.isEmpty { city.insert(place.v6 + "::/48", value) }
        }
        try city.write(to: directory.appendingPathComponent("eval-city.mmdb"))
        var anonymous = MMDBWriter(databaseType: "GeoIP2-Anonymous-IP")
        anonymous.insert(vpnExit.cidr, MMDBLayouts.anonymous(vpn: true))
        anonymous.insert(corporateEgress.cidr, MMDBLayouts.anonymous(hosting: true))
        try anonymous.write(to: directory.appendingPathComponent("eval-anonymous.mmdb"))
    }
}
