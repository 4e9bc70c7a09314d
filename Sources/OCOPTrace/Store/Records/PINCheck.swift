import Foundation

/// What a scratch-off PIN check answered; the raw values are the stable codes `verify --json` and
/// the page's JSON write as `pin.state`.
public enum PINState: String, Sendable, Codable, CaseIterable {
    /// The first correct PIN: the stamp is activated now.
    case activated
    /// A correct PIN, used before: if the buyer has just scratched the film, this stamp is a copy.
    case alreadyActivated = "already-activated"
    case wrongPIN = "wrong-pin"
    /// Locked for a while (the stamp, or the client's network): when to try again is given.
    case tooManyAttempts = "too-many-attempts"
    /// The stamp has no PIN.
    case noPIN = "no-pin"
}

/// The answer to one PIN check.
public struct PINOutcome: Sendable, Codable, Equatable {
    public var state: PINState
    /// When the stamp was activated (activated, already-activated).
    public var activatedAt: String?
    /// The province of the first activation, when known.
    public var province: String?
    /// When to try again (too-many-attempts).
    public var retryAfter: String?
    /// An already-activated answer to the network that activated the stamp (the buyer checking
    /// again, a form sent twice): not taken for a copy.
    public var byActivatingNetwork = false

    public init(state: PINState, activatedAt: String? = nil, province: String? = nil, retryAfter: String? = nil) {
        self.state = state
        self.activatedAt = activatedAt
        self.province = province
        self.retryAfter = retryAfter
    }

    enum CodingKeys: String, CodingKey {
        case state, activatedAt = "activated_at", province, retryAfter = "retry_after", byActivatingNetwork = "by_activating_network"
    }

    /// Whole seconds from `now` until ``retryAfter`` (at least 1), for an HTTP `Retry-After`.
    public func retryAfterSeconds(from now: Date = Date()) -> Int? {
        guard let retryAfter, let date = Timestamp.date(retryAfter) else { return nil }
        return max(1, Int(date.timeIntervalSince(now).rounded(.up)))
    }
}

/// The limits on wrong guesses: per stamp (from all networks together), and per client network
/// (across stamps). See docs/scratch-pin.md for why these numbers.
public struct PINLimits: Sendable, Equatable {
    /// This many wrong guesses on one stamp within `window` lock it for `lock`.
    public var wrongPerStamp = 5
    /// This many wrong guesses from one network within `window` stop its checks until the oldest
    /// of them leaves the window.
    public var wrongPerNetwork = 20
    public var window: TimeInterval = 3600
    public var lock: TimeInterval = 3600

    public init() {}
}

/// One PIN check to make: the stamp, the keyed hash of what was typed (nil when it cannot be a
/// PIN: a wrong PIN), who asks, and when.
public struct PINAttempt: Sendable {
    public enum Channel: String, Sendable {
        case cli, web
    }

    public var stampID: Int64
    public var candidateHash: String?
    /// The salted hash of the client's network (``ScanClient``); `cli` for the command line.
    public var network: String
    public var channel: Channel
    public var inspector: String?
    /// Where it was checked (the CLI's `--location`): the activation's province when known.
    public var location: String?
    /// The verdict on the stamp, recorded with the activation's scan.
    public var status: VerificationStatus
    public var at: Date
    public var limits: PINLimits

    public init(stampID: Int64, candidateHash: String?, network: String, channel: Channel, inspector: String? = nil,
                location: String? = nil, status: VerificationStatus = .genuine, at: Date = Date(), limits: PINLimits = PINLimits()) {
        self.stampID = stampID
        self.candidateHash = candidateHash
        self.network = network
        self.channel = channel
        self.inspector = inspector
        self.location = location
        self.status = status
        self.at = at
        self.limits = limits
    }

    var now: String { Timestamp.string(at) }
    var windowStart: String { Timestamp.string(at.addingTimeInterval(-limits.window)) }

    /// What the check does, from what the store read inside its transaction (the stamp held against
    /// other checks): the one place the rules are, for both engines.
    func decide(_ row: StampPINRow?) -> PINDecision {
        guard let row else { return .answer(PINOutcome(state: .noPIN)) }
        let now = self.now
        if let lockedUntil = row.lockedUntil, lockedUntil > now {
            return .answer(PINOutcome(state: .tooManyAttempts, activatedAt: row.activatedAt, retryAfter: lockedUntil))
        }
        if row.networkWrong >= limits.wrongPerNetwork {
            let oldest = row.networkOldest.flatMap(Timestamp.date) ?? at
            return .answer(PINOutcome(state: .tooManyAttempts, activatedAt: row.activatedAt,
                                      retryAfter: Timestamp.string(oldest.addingTimeInterval(limits.window))))
        }
        if let candidateHash, Self.sameHash(candidateHash, row.pinHash) {
            if let activatedAt = row.activatedAt {
                var outcome = PINOutcome(state: .alreadyActivated, activatedAt: activatedAt, province: row.activatedProvince)
                // Only a shopper's network: an inspector scratching a stamp someone activated has a copy (or resold goods) in hand.
                outcome.byActivatingNetwork = channel == .web && row.activatedNetwork == network
                return .answer(outcome)
            }
            return .activate(PINOutcome(state: .activated, activatedAt: now, province: location))
        }
        let locks = row.stampWrong + 1 >= limits.wrongPerStamp
        return .wrong(PINOutcome(state: .wrongPIN, activatedAt: row.activatedAt),
                      lockUntil: locks ? Timestamp.string(at.addingTimeInterval(limits.lock)) : nil)
    }

    /// Compares two hex hashes in time independent of where they differ.
    static func sameHash(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// What a PIN check writes.
enum PINDecision: Sendable {
    /// Nothing to write.
    case answer(PINOutcome)
    /// Record the activation (and its scan).
    case activate(PINOutcome)
    /// Record the wrong guess, and lock the stamp until then when given.
    case wrong(PINOutcome, lockUntil: String?)
}

/// A stamp's PIN and what happened to it, with the wrong guesses the limits count, read in one
/// statement inside a check's transaction.
struct StampPINRow: Decodable, Sendable {
    var pinHash: String
    var activatedAt: String?
    var activatedNetwork: String?
    var activatedProvince: String?
    var lockedUntil: String?
    /// Wrong guesses from the client's network within the window (across stamps), and the oldest.
    var networkWrong: Int
    var networkOldest: String?
    /// Wrong guesses on this stamp within the window (from every network).
    var stampWrong: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case pinHash = "pin_hash", activatedAt = "activated_at", activatedNetwork = "activated_network"
        case activatedProvince = "activated_province", lockedUntil = "locked_until"
        case networkWrong = "network_wrong", networkOldest = "network_oldest", stampWrong = "stamp_wrong"
    }
}

extension Statements {
    /// Marks every revocation of a batch's stamps as a recall, with the recall's reason.
    static let recallBatch = "UPDATE revocations SET recall = 1, reason = ? WHERE stamp_id IN (SELECT id FROM stamps WHERE batch_id = ?)"
    /// The stamp's PIN hash (in its row, written at issue), what happened to it since (in
    /// `stamp_pins`, from its first activation or lock) and the wrong guesses the limits count:
    /// one statement (a check is a few round trips on PostgreSQL); nothing for a stamp without a PIN.
    /// PostgreSQL reads it after ``holdPINChecks`` (in a statement of its own: a locking read would
    /// read `stamp_pins` as it was when it started waiting, missing the lock or activation the
    /// check it waited for wrote).
    /// Binds the client's network and the window's start (twice: for the count, then the oldest),
    /// the window's start (for the stamp's count), then the stamp.
    static let stampPIN = """
        SELECT s.pin_hash, sp.activated_at, sp.activated_network, sp.activated_province, sp.locked_until,
            (SELECT COUNT(*) FROM pin_attempts WHERE client_network = ? AND attempted_at > ?) AS network_wrong,
            (SELECT MIN(attempted_at) FROM pin_attempts WHERE client_network = ? AND attempted_at > ?) AS network_oldest,
            (SELECT COUNT(*) FROM pin_attempts WHERE stamp_id = s.id AND attempted_at > ?) AS stamp_wrong
        FROM stamps s LEFT JOIN stamp_pins sp ON sp.stamp_id = s.id
        WHERE s.id = ? AND s.pin_hash IS NOT NULL
        """
    /// PostgreSQL: holds, until the check's transaction ends, the client network's checks (an
    /// advisory lock on its hash) and the stamp's (its row), so that checks from several `serve`
    /// processes never both read a count below a limit and both pass it. Always in this order, in
    /// one statement. The row lock is not `FOR UPDATE`: that would also hold off the scans the page
    /// writes, whose foreign key takes a key-share lock on the row. Binds the network, then the stamp.
    static let holdPINChecks = """
        SELECT pg_advisory_xact_lock(hashtextextended(?, 24)), (SELECT 1 FROM stamps WHERE id = ? FOR NO KEY UPDATE)
        """
    static let recordWrongGuess = "INSERT INTO pin_attempts (stamp_id, client_network, attempted_at) VALUES (?, ?, ?)"
    /// Binds the stamp, then when the lock ends.
    static let lockStampPIN = """
        INSERT INTO stamp_pins (stamp_id, locked_until) VALUES (?, ?)
        ON CONFLICT (stamp_id) DO UPDATE SET locked_until = excluded.locked_until
        """
    /// Binds the stamp, then the activation's time, network and province.
    static let activateStampPIN = """
        INSERT INTO stamp_pins (stamp_id, activated_at, activated_network, activated_province) VALUES (?, ?, ?, ?)
        ON CONFLICT (stamp_id) DO UPDATE SET activated_at = excluded.activated_at, activated_network = excluded.activated_network,
            activated_province = excluded.activated_province
        """
    static let recordActivationScan = """
        INSERT INTO scans (stamp_id, scanned_at, inspector, location, status, channel, client_network) VALUES (?, ?, ?, ?, ?, ?, ?)
        """
}
