import Foundation

/// Compares personal names for consistency, tolerant of initials, nicknames, diacritics,
/// order and transliteration. It says whether two names can be the same person's; it never
/// looks at where a name comes from.
public enum NameMatching {
    /// Normalised tokens: Latin script, no diacritics, lower case, no titles.
    public static func tokens(_ name: String) -> [String] {
        var latin = name
        // ASCII is already Latin without diacritics: the transliterations leave it as it is.
        if !name.utf8.allSatisfy({ $0 < 0x80 }) {
            latin = name.applyingTransform(.toLatin, reverse: false) ?? name
            latin = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        }
        latin = latin.lowercased()
        for (from, to) in [("ł", "l"), ("ø", "o"), ("đ", "d"), ("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("ı", "i"), ("ʹ", ""), ("ʼ", ""), ("'", "")] {
            // Each is one scalar: a literal scalar search, not Foundation's string search.
            if latin.unicodeScalars.contains(from.unicodeScalars.first!) { latin = latin.replacing(from, with: to) }
        }
        let titles: Set<String> = ["mr", "mrs", "ms", "miss", "dr", "prof", "jr", "sr", "ii", "iii", "iv", "phd", "md"]
        return latin.split(whereSeparator: { !$0.isLetter })
            .map(String.init)
            .filter { !titles.contains($0) }
    }

    /// Whether `a` and `b` can name the same person.
    public static func isConsistent(_ a: String, _ b: String) -> Bool {
        let ta = tokens(a)
        let tb = tokens(b)
        guard !ta.isEmpty, !tb.isEmpty else { return true }
        if ta.joined() == tb.joined() { return true }  // "Mary-Jane" and "Maryjane", spacing of transliterations
        let (short, long) = ta.count <= tb.count ? (ta, tb) : (tb, ta)
        return assign(short[...], available: long)
    }

    /// Every token of `short` pairs with a distinct compatible token of `long`.
    private static func assign(_ short: ArraySlice<String>, available: [String]) -> Bool {
        guard let first = short.first else { return true }
        for (index, candidate) in available.enumerated() where compatible(first, candidate) {
            var rest = available
            rest.remove(at: index)
            if assign(short.dropFirst(), available: rest) { return true }
        }
        return false
    }

    static func compatible(_ x: String, _ y: String) -> Bool {
        if x == y { return true }
        if x.count == 1 || y.count == 1 { return x.first == y.first }
        if min(x.count, y.count) >= 3, x.hasPrefix(y) || y.hasPrefix(x) { return true }
        if nicknames[x]?.contains(y) == true || nicknames[y]?.contains(x) == true { return true }
        if min(x.count, y.count) >= 5, editDistance(x, y) <= 1 { return true }
        if min(x.count, y.count) >= 4, transliterationKey(x) == transliterationKey(y) { return true }
        return false
    }

    /// Collapses spellings that transliteration varies: y/j/i, ks/x, ph/f, doubled letters, h after consonants.
    static func transliterationKey(_ s: String) -> String {
        var t = s
        for (from, to) in [("ph", "f"), ("ks", "x"), ("kh", "h"), ("zh", "j"), ("sch", "sh"), ("tch", "ch"), ("w", "v"), ("y", "i"), ("j", "i"), ("ou", "u"), ("ck", "k"), ("c", "k")] {
            if t.contains(from) { t = t.replacing(from, with: to) }
        }
        var out = ""
        for ch in t where out.last != ch { out.append(ch) }
        return out
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// Common English given-name short forms. Symmetric lookups are done by ``compatible(_:_:)``.
    static let nicknames: [String: Set<String>] = [
        "william": ["bill", "will", "billy", "liam", "willy"], "robert": ["bob", "rob", "bobby", "robbie", "bert"],
        "richard": ["rick", "dick", "rich", "ricky"], "james": ["jim", "jimmy", "jamie"], "john": ["jack", "johnny", "jon"],
        "joseph": ["joe", "joey"], "michael": ["mike", "mick", "mickey"], "elizabeth": ["liz", "beth", "betty", "eliza", "lizzie", "libby"],
        "margaret": ["maggie", "meg", "peggy", "marge"], "katherine": ["kate", "kathy", "katie", "kat"], "catherine": ["kate", "cathy", "katie", "cat"],
        "christopher": ["chris", "kit"], "christine": ["chris", "tina"], "daniel": ["dan", "danny"], "david": ["dave", "davy"],
        "edward": ["ed", "eddie", "ted", "ned"], "thomas": ["tom", "tommy"], "anthony": ["tony"], "andrew": ["andy", "drew"],
        "alexander": ["alex", "sasha", "sandy"], "alexandra": ["alex", "sasha", "sandra"], "benjamin": ["ben", "benny"],
        "charles": ["charlie", "chuck", "chas"], "patricia": ["pat", "patty", "trish"], "patrick": ["pat", "paddy"],
        "jennifer": ["jen", "jenny"], "rebecca": ["becky", "becca"], "samuel": ["sam", "sammy"], "samantha": ["sam"],
        "stephen": ["steve"], "steven": ["steve"], "timothy": ["tim"], "matthew": ["matt"], "nicholas": ["nick", "nicky"],
        "jonathan": ["jon", "jonny"], "gregory": ["greg"], "susan": ["sue", "susie"], "deborah": ["deb", "debbie"],
        "victoria": ["vicky", "tori"], "jessica": ["jess", "jessie"], "abigail": ["abby"], "zachary": ["zach", "zack"],
        "kenneth": ["ken", "kenny"], "ronald": ["ron", "ronnie"], "donald": ["don", "donny"], "lawrence": ["larry"],
        "frederick": ["fred", "freddie"], "henry": ["hank", "harry"], "dmitry": ["dima"], "dmitrij": ["dima"],
        "aleksandr": ["sasha"], "yekaterina": ["katya"], "ekaterina": ["katya"], "mikhail": ["misha"], "ivan": ["vanya"],
        "francisco": ["paco", "pancho"], "jose": ["pepe"], "guillermo": ["memo"], "roberto": ["beto"],
        "mohammed": ["mohamed", "muhammad", "mohammad"], "giuseppe": ["beppe", "peppe"], "johannes": ["hans", "jan"],
    ]
}
