import Foundation
import Testing
@testable import OCOPTrace

@Suite struct TimestampTests {
    @Test func storedTimestampsAreISO8601ToTheMillisecond() {
        for seconds in [0.0, 1_764_000_000.123, 1_798_761_599.999, 951_782_400.5, 1_700_000_000.0] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.string(date) == date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), "\(seconds)")
        }
    }

    @Test func vietnamTimeIsSevenHoursAhead() {
        #expect(Timestamp.vietnamese("2026-11-23T13:20:00.000Z") == "23/11/2026 20:20")
        #expect(Timestamp.vietnamese("2026-12-31T18:05:59.000Z") == "01/01/2027 01:05")
        #expect(Timestamp.vietnamese("not a time") == "not a time")
        for seconds in [1_764_000_000.0, 1_764_003_600 * 1.0 + 61_200, 1_798_736_400.0] {
            let now = Date(timeIntervalSince1970: seconds)
            #expect(CalendarDate.todayInVietnam(now: now) == CalendarDate.today(now: now), "\(seconds)")
        }
    }
}
