/// Whether `needle` occurs in `haystack`: a plain byte search. The standard library's
/// `firstRange(of:)` and Foundation's `contains` on a String are many times slower for the short
/// searches Winnow makes (a pointer segment in a JSON Pointer, a marker in a log line). An empty
/// needle is found nowhere, as with those two.
public func containsBytes(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !needle.isEmpty else { return false }
    guard needle.count <= haystack.count else { return false }
    let first = needle[0]
    for start in 0...(haystack.count - needle.count) where haystack[start] == first {
        var i = 1
        while i < needle.count && haystack[start + i] == needle[i] { i += 1 }
        if i == needle.count { return true }
    }
    return false
}

extension String {
    /// Whether `needle`'s UTF-8 occurs in this string's UTF-8 (`containsBytes`).
    public func containsUTF8(_ needle: String) -> Bool {
        var haystack = self, needle = needle
        return haystack.withUTF8 { h in needle.withUTF8 { n in containsBytes(h, n) } }
    }
}

extension ArraySlice<UInt8> {
    /// Whether `needle` occurs in these bytes (`containsBytes`).
    public func containsBytes(_ needle: [UInt8]) -> Bool {
        withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { n in WinnowModel.containsBytes(h, n) } }
    }
}
