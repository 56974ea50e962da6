// The same lookups through VetterNetwork's MaxMindDatabase (compiled from the package sources with -O).
// Usage: bench-swift DB ADDRESSES_FILE PASSES
import Foundation

@main
struct Bench {
    static func main() throws {
        let args = CommandLine.arguments
        guard args.count >= 4, let passes = Int(args[3]) else {
            FileHandle.standardError.write(Data("usage: bench-swift DB ADDRESSES PASSES\n".utf8)); exit(2)
        }
        let db = try MaxMindDatabase(path: args[1])
        let ips = try String(contentsOfFile: args[2], encoding: .utf8).split(separator: "\n").map(String.init)
        var found = 0, fields = 0, checksum = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<passes {
            for ip in ips {
                guard let r = try db.lookup(ip) else { continue }
                found += 1
                if let s = r.country { fields += 1; checksum += Int(s.utf8.first ?? 0) }
                if let s = r.region { fields += 1; checksum += Int(s.utf8.first ?? 0) }
                if let s = r.city { fields += 1; checksum += Int(s.utf8.first ?? 0) }
                if let s = r.timeZone { fields += 1; checksum += Int(s.utf8.first ?? 0) }
                if r.latitude != nil { fields += 2 }
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("Swift      lookups=\(ips.count * passes) found=\(found) fields=\(fields) seconds=\(String(format: "%.3f", seconds)) lookups_per_second=\(String(format: "%.0f", Double(ips.count * passes) / seconds)) (checksum \(checksum))")
    }
}
