import Foundation

extension State {
    /// Legitimate applicants of one situation (hard negatives, indicators.md §6.5).
    mutating func legitimateGroup(_ situation: Situation, count: Int) -> [Person] {
        clusterCounter += 1
        let cluster = count > 1 ? "\(situation.rawValue)-\(clusterCounter)" : nil
        let sharedHome = rng.pick(World.usCities)
        let agencyIP = sharedHome.residentialIP(nextHousehold())
        var sharedStreet: String?
        var bootcampRoles: [Role]?
        var bootcampSkills: [String]?
        var people: [Person] = []
        for _ in 0..<count {
            var p = newPerson(label: .legitimate, group: situation.rawValue, home: situation == .sharedHousehold ? sharedHome : nil)
            p.cluster = cluster
            let homeIP = p.home.residentialIP(nextHousehold())
            let clock = p.home.zone
            var hours = 8...20
            var ip: () -> String? = { homeIP }
            switch situation {
            case .local, .googleVoice, .careerChanger, .cameraAccommodation:
                break
            case .recentImmigrant:
                let from = rng.pick(World.abroad)
                buildCareer(&p, abroad: from)
                if from.country == "GB", rng.chance(0.5) { p.phone = ukPhone() }
                if p.payment != nil, rng.chance(0.3) { p.payment = ("wise", true, from.country, "wise:\(p.serial)") }
            case .traveller:
                break  // travel events added below
            case .corporateVPN:
                let egress = World.corporateEgress.ip(rng.int(0...61))
                ip = { egress }
            case .resumeService:
                p.format = "docx"
                // Many résumé-writing services work from another time zone (indicators.md §3: file metadata is weak evidence).
                p.docxAuthor = rng.pick(["CareerPro Writers", "ResumeCraft Team", "TopCV Services"])
                p.docxCreated = "2026-08-\(String(format: "%02d", rng.int(1...28)))T10:15:00+05:30"
            case .nightShift:
                hours = 0...5
            case .sharedHousehold:
                if let street = sharedStreet { p.street = street } else { sharedStreet = p.street }
                ip = { agencyIP }  // one home connection
            case .bootcamp:
                if let roles = bootcampRoles, let skills = bootcampSkills {
                    p.roles[0] = roles[0]; p.skills = skills
                } else { bootcampRoles = p.roles; bootcampSkills = p.skills }
                p.summary = "Bootcamp graduate (Full-Stack Immersive, 2026). Capstone: a budgeting app in React and Node.js with PostgreSQL, deployed on AWS."
            case .agency:
                break
            }
            if situation == .careerChanger {
                p.roles.append(Role(title: rng.pick(["Teacher", "Nurse", "Accountant", "Chef", "Paralegal"]), company: rng.pick(PopulationGenerator.companies),
                                    start: (2008, rng.int(1...12)), end: (2012, rng.int(1...12))))
                if rng.chance(0.3), let first = p.roles.first {
                    // A part-time course or gig alongside the current job.
                    p.roles.insert(Role(title: "Part-time Tutor", company: "Code Club", start: (first.start.0, first.start.1), end: nil), at: 1)
                }
            }
            let homeZone = p.home.zone
            standardEvents(&p, clock: clock, hours: hours, ip: ip, browser: homeZone)
            switch situation {
            case .traveller:
                let place = rng.pick(World.abroad)
                let travelIP = place.residentialIP(nextHousehold())
                // A trip of 2–6 days starting 0–8 days after applying: the events that fall in it come from abroad.
                // The trip is a period of real time (whole days on the home clock) and the traveller keeps their
                // usual hours, so no event abroad comes before, or within a flight of, an event at home that
                // preceded it (placing trip events on the destination's clock made some travellers appear abroad
                // hours before their last event at home: physically impossible data for a legitimate applicant).
                // An interview that falls in the trip is joined from abroad too.
                // Each way the journey takes a whole day (home clock) with no event in it: what would have
                // fallen on or after the day of departure comes a day later, and what would have fallen on or
                // after the day of return another day later (everything keeps its order and hour). Without
                // those days an event abroad in the evening and one at home the next morning came ~11 hours
                // apart: less than the flight from Manila, and the impossible-travel check rightly fired on a
                // legitimate traveller.
                let tripStart = p.receivedDay + rng.int(0...8), tripEnd = tripStart + rng.int(2...6)
                let leaves = State.date(day: tripStart, hour: 0, minute: 0, zone: homeZone)
                let returns = State.date(day: tripEnd + 1, hour: 0, minute: 0, zone: homeZone)
                for i in p.events.indices {
                    let e = p.events[i]
                    let at = State.date(day: e.day, hour: e.hour, minute: e.minute, zone: e.clockZone)
                    p.events[i].day += (at >= leaves ? 1 : 0) + (at >= returns ? 1 : 0)
                    guard e.ip != nil, at >= leaves, at < returns else { continue }
                    p.events[i].ip = travelIP
                    if e.type != "interview" { p.events[i].browserZone = place.zone }
                }
            case .cameraAccommodation:
                for i in p.events.indices where p.events[i].type == "interview" { p.events[i].camera = (false, true, true) }
            case .agency:
                for i in p.events.indices where p.events[i].type == "application_submitted" { p.events[i].ip = agencyIP }
            default: break
            }
            people.append(p)
        }
        return people
    }

    /// Fake personas of one archetype, modelled on the published cases (indicators.md §5).
    mutating func fakeGroup(_ archetype: Archetype, count: Int) -> [Person] {
        clusterCounter += 1
        let cluster = "\(archetype.rawValue)-\(clusterCounter)"
        let operatorPlace = rng.weighted([(World.shenyang, 0.6), (World.vladivostok, 0.25), (World.lagos, 0.15)])
        let operatorIP = operatorPlace.ip(rng.int(0...61))
        let farmPlace = rng.pick(World.usCities)
        let farmStreet = "\(4000 + clusterCounter) Industrial Pkwy, Unit \(rng.int(1...40))"
        let farmIP = farmPlace.residentialIP(nextHousehold())
        let operatorPhone = usPhone()
        let operatorAccount = "payoneer:op-\(clusterCounter)"
        var recycled: (roles: [Role], skills: [String], summary: String, education: String)?
        var people: [Person] = []
        for _ in 0..<count {
            var p = newPerson(label: .fake, group: archetype.rawValue)
            p.cluster = count > 1 ? cluster : nil
            let vpnIP = World.vpnExit.ip(rng.int(0...61))
            let ownIP = p.home.residentialIP(p.serial + 50_000)
            // Working hours: the operator's own daytime (S1, S36) unless they keep US hours ("14 hrs a day", S49).
            let foreignHours = rng.chance(archetype == .offHours ? 1.0 : 0.5)
            let clock = foreignHours ? operatorPlace.zone : p.home.zone
            let hours = foreignHours ? 9...21 : 8...20
            var ip: () -> String?
            var browser: String? = p.home.zone
            switch archetype {
            case .laptopFarm:
                ip = rng.chance(0.6) ? { vpnIP } : { farmIP }
                if rng.chance(0.3) { browser = operatorPlace.zone }
            case .personaOperator:
                // One operator, many personas: a recycled résumé (S23, S49), often one network and one payee.
                if let r = recycled {
                    p.roles = r.roles; p.skills = r.skills; p.summary = r.summary; p.education = r.education
                } else { recycled = (p.roles, p.skills, p.summary, p.education) }
                let r = rng.weighted([(0, 0.4), (1, 0.4), (2, 0.2)])
                ip = r == 0 ? { operatorIP } : r == 1 ? { vpnIP } : { ownIP }
                browser = rng.chance(0.4) ? operatorPlace.zone : (rng.chance(0.5) ? p.home.zone : nil)
                if rng.chance(0.5) { p.references = [(otherName(), "refs\(p.serial)@example.net", rng.chance(0.5) ? p.phone : operatorPhone, "Pinnacle Cloud Systems")] }
                if p.hasOnboarding, rng.chance(0.5) { p.payment = ("payoneer", rng.chance(0.5), "US", operatorAccount) }
            case .rentedIdentity:
                // A real person's identity, rented (S10, S14): name, address, phone all check out.
                let r = rng.weighted([(0, 0.4), (1, 0.4), (2, 0.2)])
                ip = r == 0 ? { operatorIP } : r == 1 ? { vpnIP } : { ownIP }
                if rng.chance(0.3) { browser = operatorPlace.zone }
            case .vpnEgress:
                ip = { vpnIP }
                if rng.chance(0.4) { browser = operatorPlace.zone }
            case .offHours:
                ip = { ownIP }  // remote desktop into a US laptop
            }
            standardEvents(&p, clock: clock, hours: hours, ip: ip, browser: browser)
            // Interview: camera off without a reason (S2, S34), sometimes under another display name.
            let cameraOff = rng.chance(archetype == .offHours ? 0.3 : 0.5)
            let otherDisplay = rng.chance(archetype == .rentedIdentity ? 0.3 : 0.15)
            for i in p.events.indices where p.events[i].type == "interview" { p.events[i].camera = (!cameraOff, !otherDisplay, false) }
            // Onboarding: laptops shipped to the farm (S9, S13), often changed after the offer (S32).
            if p.hasOnboarding {
                let shipToFarm = archetype == .laptopFarm || rng.chance(0.3)
                if shipToFarm { p.shipping = (farmStreet, farmPlace) }
                p.changedAfterOffer = shipToFarm && rng.chance(0.5)
                if archetype == .rentedIdentity, rng.chance(0.3) { p.payment = ("payoneer", false, "US", "payoneer:\(p.serial)") }
            }
            // Concurrent full-time roles on the résumé (S22: several jobs at once), sometimes.
            if rng.chance(0.2), p.roles.count >= 2 { p.roles[1].end = nil }
            people.append(p)
        }
        return people
    }

    mutating func otherName() -> String { name(rng.pick(NameOrigin.allCases)).0 }
}
