// Benchmarks for the identity store (not tests). Seeded synthetic populations:
//
//   vetter-store-bench ingest N [--batch B] [--seed S] [--store PATH]   ingest+check N applications
//   vetter-store-bench stats PATH                                      time what `vetter store stats` reads
//   vetter-store-bench check PATH [--runs R]                           time one new application against a store
//
// `ingest` screens batches of B applications (default 1000; `--batch auto`: a tenth of the
// applications already stored, from 1,000 to 10,000), each batch in one transaction
// through `SQLiteIdentityStore.screenBatch` (every application is checked against all earlier
// ones, including those earlier in its batch, then recorded). While one batch is screened, the
// next is generated and normalised/hashed on another thread (the machine has two cores).
//
// The population: every application has a name, an email, a phone, a postal address, an event
// IP (random in 10.0.0.0/8) and a résumé of ~300 words (a shared template paragraph, a stock skills list and text
// drawn from a 5,000-word Zipf vocabulary). One in 50 reuses the phone of an earlier one under
// another name; one in 50 submits a lightly edited copy of an earlier résumé under another name.
import Foundation
import VetterCore
import VetterStore

struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

struct Population {
    static let syllables = ["ka", "lo", "mi", "ter", "van", "dor", "el", "shu", "ri", "po", "nex", "tal", "gra", "bel", "sim", "qua", "zen", "fo"]
    let vocabulary: [String]
    let cumulative: [Double]
    let template = "Results driven software engineer with a passion for building scalable reliable systems and delivering value to customers in fast paced agile teams"
    let skills = "Skills Python Java JavaScript TypeScript React Node AWS Docker Kubernetes SQL PostgreSQL Git CI CD Linux REST GraphQL"
    var generator: Generator
    var resumes: [String] = []
    var phones: [String] = []

    init(seed: UInt64) {
        generator = Generator(state: seed)
        var words: [String] = []
        for a in Self.syllables { for b in Self.syllables { for c in ["", "n", "s"] { words.append(a + b + c) } } }
        var extra = Generator(state: 42)
        while words.count < 5000 { words.append(words[Int(extra.next() % UInt64(972))] + Self.syllables[Int(extra.next() % 18)]) }
        vocabulary = words
        var total = 0.0
        cumulative = (1...words.count).map { total += 1 / Double($0); return total }
    }

    /// A name token from a number: names must differ in letters, as digits are not name tokens.
    static func letters(_ number: Int) -> String {
        var n = number, out = ""
        repeat { out.append(Character(UnicodeScalar(UInt8(97 + n % 26)))); n /= 26 } while n > 0
        return "Q" + out
    }

    mutating func word() -> String {
        let x = Double(generator.next() % 1_000_000) / 1_000_000 * cumulative.last!
        var lo = 0, hi = cumulative.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < x { lo = mid + 1 } else { hi = mid } }
        return vocabulary[lo]
    }

    mutating func application(_ index: Int) -> (Application, ResumeDocument) {
        let name = "\(Self.letters(index)) \(Self.letters(index &* 7919 &+ 13))son"
        var phone = "+1 \(200 + index % 700) 555 \(String(format: "%04d", index % 10000))\(index / 10000)"
        var text: String
        if index > 100, index % 50 == 7 {
            phone = phones[Int(generator.next() % UInt64(phones.count))]
        }
        if index > 100, index % 50 == 13 {
            var words = resumes[Int(generator.next() % UInt64(resumes.count))].split(separator: " ").map(String.init)
            for _ in 0..<3 { words[Int(generator.next() % UInt64(words.count))] = word() }
            text = words.joined(separator: " ")
        } else {
            text = template + " " + skills + " " + (0..<260).map { _ in word() }.joined(separator: " ")
        }
        if resumes.count < 5000 { resumes.append(text) } else { resumes[index % 5000] = text }
        if phones.count < 5000 { phones.append(phone) } else { phones[index % 5000] = phone }
        // A random address in 10.0.0.0/8: /24 networks fill up as the population grows (about 1.5
        // applications per /24 at 100,000), and exact addresses are almost never shared.
        let r = generator.next()
        let ip = "10.\((r >> 16) & 255).\((r >> 8) & 255).\((r & 255) | 1)"
        let app = Application(
            id: "P-\(index)", receivedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 60),
            candidate: Candidate(name: name, emails: ["given\(index).family@example.com"], phones: [phone],
                                 address: PostalAddress(lines: ["\(index) Main Street"], postalCode: "\(10000 + index % 89999)", country: "US")),
            events: [Event(type: "application_submitted", at: Date(timeIntervalSince1970: 1_700_000_000), ip: ip)])
        return (app, ResumeDocument(format: .plainText, sourceName: "bench", text: text))
    }
}

func rssMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return (Double(line.split(separator: " ")[1]) ?? 0) / 1024
}

func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1_000_000_000
}

/// Bytes this process has written (`wchar` in /proc/self/io), in MB.
func writtenMB() -> Double {
    guard let io = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8),
          let line = io.split(separator: "\n").first(where: { $0.hasPrefix("wchar:") }) else { return 0 }
    return (Double(line.split(separator: " ").last ?? "") ?? 0) / 1_048_576
}

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

let args = Array(CommandLine.arguments.dropFirst())
let key = try IdentityKey(material: "benchmark-key-benchmark-key-0001")
switch args.first {
case "ingest":
    let n = Int(args.dropFirst().first ?? "") ?? 10_000
    // `--batch auto`: batches grow with the store (a tenth of what it holds, 1,000 to 10,000):
    // faster (fewer commits) but holding up to 10,000 prepared records in memory at once.
    let batchOption = option("--batch", args) ?? "1000"
    let fixedBatch = batchOption == "auto" ? nil : Int(batchOption) ?? 1000
    func batchSize(_ stored: Int) -> Int { fixedBatch ?? max(1000, min(10_000, stored / 10)) }
    let seed = UInt64(option("--seed", args) ?? "") ?? 1
    let path = option("--store", args) ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path
    let store = try SQLiteIdentityStore(path: path, key: key)
    final class Producer: @unchecked Sendable {
        var population: Population
        var ready: [IdentityRecord] = []
        var generateTime = 0.0, hashTime = 0.0
        let group = DispatchGroup()
        init(_ population: Population) { self.population = population }
        func start(_ range: Range<Int>) {
            group.enter()
            DispatchQueue.global().async { [self] in
                let clock = ContinuousClock()
                var generated: [(Application, ResumeDocument)] = []
                let t0 = clock.now
                for i in range { generated.append(population.application(i)) }
                let t1 = clock.now
                ready = generated.map { IdentityRecord.make(application: $0.0, resume: $0.1, key: key) }
                generateTime += (t1 - t0) / .seconds(1)
                hashTime += (clock.now - t1) / .seconds(1)
                group.leave()
            }
        }
        func take() -> [IdentityRecord] { group.wait(); return ready }
    }
    let producer = Producer(Population(seed: seed))
    var storeTime = 0.0
    var phoneHits = 0, nearHits = 0
    // `--trace`: per 10,000 applications, the store thread's wall and CPU time and the bytes written.
    let trace = args.contains("--trace")
    var segment = (wall: 0.0, cpu: 0.0, written: writtenMB(), start: 0)
    var index = 0
    let clock = ContinuousClock()
    let start = clock.now
    producer.start(0..<min(batchSize(0), n))
    while index < n {
        let records = producer.take()
        let size = records.count
        if index + size < n { producer.start((index + size)..<min(n, index + size + batchSize(index + size))) }
        let t1 = clock.now, c1 = threadCPUSeconds()
        let results = try store.screenBatch(records)
        storeTime += (clock.now - t1) / .seconds(1)
        if trace {
            segment.wall += (clock.now - t1) / .seconds(1)
            segment.cpu += threadCPUSeconds() - c1
            if (index + size) / 10_000 > index / 10_000 || index + size >= n {
                let written = writtenMB()
                print(String(format: "  %7d–%7d: store %.2f s wall, %.2f s CPU; written %.0f MB",
                             segment.start, index + size, segment.wall, segment.cpu, written - segment.written))
                segment = (0, 0, written, index + size)
            }
        }
        for (offset, matches) in results.enumerated() {
            let i = index + offset
            if i > 100, i % 50 == 7, matches.contains(where: { $0.kind == "phone" && $0.differentIdentity }) { phoneHits += 1 }
            if i > 100, i % 50 == 13, matches.contains(where: { $0.kind == "resume-near-duplicate" && $0.differentIdentity }) { nearHits += 1 }
        }
        index += size
    }
    let planted = (101..<n).filter { $0 % 50 == 13 }.count
    let wall = (clock.now - start) / .seconds(1)
    print(String(format: "ingest+check %d applications: %.2f s wall, %.0f/s (other thread, overlapped: generate synthetic %.2f s, normalise/hash/shingle %.2f s; store %.2f s); peak RSS %.0f MB",
                 n, wall, Double(n) / wall, producer.generateTime, producer.hashTime, storeTime, rssMB()))
    if let io = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) {
        let fields = Dictionary(io.split(separator: "\n").compactMap { line -> (String, Double)? in
            let parts = line.split(separator: ":"); guard parts.count == 2 else { return nil }
            return (String(parts[0]), (Double(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0) / 1_048_576)
        }, uniquingKeysWith: { a, _ in a })
        print(String(format: "I/O: written %.0f MB (wchar), read %.0f MB (rchar)", fields["wchar"] ?? 0, fields["rchar"] ?? 0))
    }
    print("planted phone reuse found: \(phoneHits)/\((101..<n).filter { $0 % 50 == 7 }.count); planted near-duplicates found: \(nearHits)/\(planted)")
    print("store: \(path)")
case "stats":
    // What `vetter store stats` reads, timed (running counts since schema v8).
    guard let path = args.dropFirst().first else { print("usage: stats PATH"); exit(64) }
    let store = try SQLiteIdentityStore(path: path, key: key)
    let started = ContinuousClock.now
    let stats = try store.statsSync()
    print(String(format: "stats in %.3f s: %d applications, %d résumé signatures, %d common shingles, identifiers %@",
                 (ContinuousClock.now - started) / .seconds(1), stats.applications, stats.resumeSignatures, stats.commonShingles,
                 stats.identifiersByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
case "check":
    guard let path = args.dropFirst().first else { print("usage: check PATH"); exit(64) }
    let store = try SQLiteIdentityStore(path: path, key: key)
    var population = Population(seed: 99)
    let clock = ContinuousClock()
    var times: [Double] = [], cpuTimes: [Double] = []
    func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1_000_000
    }
    let runs = max(2, Int(option("--runs", args) ?? "") ?? 100)
    for i in 0..<runs {
        let (app, resume) = population.application(10_000_000 + i)
        let record = IdentityRecord.make(application: app, resume: resume, key: key)
        let t0 = clock.now, c0 = threadCPU()
        _ = try store.screenSync(record, record: false)
        times.append((clock.now - t0) / .milliseconds(1))
        cpuTimes.append(threadCPU() - c0)
    }
    // The first check makes the shingle-sketch buffer (reading the signatures recorded since its
    // blobs were last saved, up to the store's save interval); the next ones reuse it, as a
    // long-running screener (`vetter serve`, a batch) does. A `vetter screen` process is a first check.
    let first = times[0]
    times.sort()
    cpuTimes.sort()
    let unsaved = try store.unsavedSketchSignatures()
    print(String(format: "one check against %d applications: median %.2f ms, p90 %.2f ms, max %.2f ms (lookup only, hashing excluded)",
                 try store.applicationCount(), times[runs / 2], times[runs * 9 / 10], times[runs - 1]))
    print(String(format: "  first check (sketch buffer made afresh, %d signatures recorded since the last save): %.2f ms", unsaved, first))
    print(String(format: "  CPU time of the screening thread (what the check costs when the machine is not shared): median %.2f ms, p90 %.2f ms",
                 cpuTimes[runs / 2], cpuTimes[runs * 9 / 10]))
case "export":
    // Writes the shingle sets of a population (one line per résumé: id, then hex shingle hashes)
    // for the datasketch comparison (Scripts/bench-datasketch.py).
    let n = Int(args.dropFirst().first ?? "") ?? 10_000
    let file = option("--out", args) ?? "/tmp/vetter-shingles.txt"
    var population = Population(seed: 1)
    var out = ""
    for i in 0..<n {
        let (app, resume) = population.application(i)
        let record = IdentityRecord.make(application: app, resume: resume, key: key)
        out += "P-\(i) " + record.shingles.keys.map { String($0, radix: 16) }.joined(separator: " ") + "\n"
    }
    try out.write(toFile: file, atomically: true, encoding: .utf8)
    print("wrote \(n) shingle sets to \(file)")
case "lsh":
    // In-memory MinHash + LSH over an exported file (no database), as datasketch does it:
    // insert every set, querying each before inserting it; prints planted-pair recall.
    let file = option("--in", args) ?? "/tmp/vetter-shingles.txt"
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
    let sets: [(String, [UInt64])] = lines.map { line in
        let parts = line.split(separator: " ")
        return (String(parts[0]), parts.dropFirst().compactMap { UInt64($0, radix: 16) })
    }
    // --threads 2: the signatures (independent per set) are computed on both cores first; the
    // query-then-insert pass is sequential either way.
    let threads = max(1, Int(option("--threads", args) ?? "") ?? 1)
    let clock = ContinuousClock()
    let t0 = clock.now
    final class Signatures: @unchecked Sendable {
        var values: [[UInt64]?]
        init(_ n: Int) { values = Array(repeating: nil, count: n) }
    }
    let computed = Signatures(sets.count)
    let setsToSign = sets
    computed.values.withUnsafeMutableBufferPointer { out in
        nonisolated(unsafe) let out = out
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            var i = part
            while i < setsToSign.count {
                out[i] = MinHash.signature(setsToSign[i].1, common: { _ in [] })?.signature
                i += threads
            }
        }
    }
    var buckets: [Int64: [Int]] = [:]
    var signatures: [[UInt64]] = []
    var found: [(Int, Int)] = []
    for index in sets.indices {
        guard let signature = computed.values[index] else { signatures.append([]); continue }
        var candidates: Set<Int> = []
        let keys = MinHash.buckets(signature)
        for bucket in keys { for other in buckets[bucket] ?? [] { candidates.insert(other) } }
        for other in candidates {
            if MinHash.compare(signature, signatures[other], common: [], atLeast: MinHash.threshold) != nil { found.append((index, other)) }
        }
        for bucket in keys { buckets[bucket, default: []].append(index) }
        signatures.append(signature)
    }
    let seconds = (clock.now - t0) / .seconds(1)
    let planted = Set((101..<sets.count).filter { $0 % 50 == 13 })
    let hit = Set(found.map(\.0)).intersection(planted).count
    print(String(format: "vetter MinHash LSH (in memory, %d thread(s)): %d sets in %.2f s; %d pairs ≥ 0.8; planted near-duplicates found %d/%d",
                 threads, sets.count, seconds, found.count, hit, planted.count))
case "bulk":
    // Builds a large store fast, for the single-check benchmark against 1,000,000 applications:
    // every application has the population's identifiers (name, email, phone, address, IP; real
    // normalisation and keyed hashes) and a signature of 120 random shingles (no résumé text, so
    // no shingling and no look-ups), recorded with `SQLiteIdentityStore.bulkRecord` in chunks.
    let n = Int(args.dropFirst().first ?? "") ?? 1_000_000
    let chunk = Int(option("--chunk", args) ?? "") ?? 100_000
    guard let path = option("--store", args) else { print("usage: bulk N --store PATH"); exit(64) }
    let store = try SQLiteIdentityStore(path: path, key: key)
    var generator = Generator(state: 7)
    let clock = ContinuousClock()
    let start = clock.now
    var index = 0
    while index < n {
        let size = min(chunk, n - index)
        let items: [(record: IdentityRecord, signature: [UInt64]?)] = (index..<(index + size)).map { i in
            let app = Application(
                id: "B-\(i)", receivedAt: Date(timeIntervalSince1970: 1_600_000_000 + Double(i) * 30),
                candidate: Candidate(name: "\(Population.letters(i)) \(Population.letters(i &* 7919 &+ 13))son",
                                     emails: ["bulk\(i).person@example.com"], phones: ["+1 \(200 + i % 700) 555 \(String(format: "%04d", i % 10000))\(i / 10000)"],
                                     address: PostalAddress(lines: ["\(i) Bulk Road"], postalCode: "\(10000 + i % 89999)", country: "US")),
                events: [Event(type: "application_submitted", at: Date(timeIntervalSince1970: 1_600_000_000),
                               ip: "172.\(16 + i % 16).\((i / 16) % 250).\(i % 200 + 1)")])
            return (IdentityRecord.make(application: app, resume: nil, key: key), (0..<MinHash.functions).map { _ in generator.next() })
        }
        try store.bulkRecord(items)
        index += size
        print(String(format: "bulk: %d applications, %.1f s", index, (clock.now - start) / .seconds(1)))
    }
    print(String(format: "bulk-recorded %d applications in %.1f s; peak RSS %.0f MB", n, (clock.now - start) / .seconds(1), rssMB()) + "; store: \(path)")
default:
    print("usage: vetter-store-bench ingest N [--batch B] [--seed S] [--store PATH] | check PATH")
}
