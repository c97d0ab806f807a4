import Crypto

/// The container every SECSim partial-result file shares (MODEL.md §10,
/// docs/cluster.md): an 8-byte magic (`SECSIMPR` for a run's shard, `SECSIMDP` for a
/// sweep's or sensitivity analysis's), a `UInt32` format version, a `UInt32` header
/// length, the header block zero-padded so that the state starts at a multiple of
/// `PartialResult.alignment`, the state, and the SHA-256 of every byte before it.
/// The formats differ in their header and state only; framing and checking are here.
package enum PartialContainer {
  /// Magic, version and header length.
  package static let preambleSize = 16
  package static let checksumSize = 32

  /// A file's first bytes: magic, version, header length and the header, padded.
  package static func begin(magic: [UInt8], version: UInt32, header: [UInt8]) -> ByteWriter {
    precondition(magic.count == 8, "a partial's magic is 8 bytes")
    let unpadded = preambleSize + header.count
    let padded = (unpadded + PartialResult.alignment - 1) / PartialResult.alignment * PartialResult.alignment
    var out = ByteWriter()
    out.bytes = magic
    out.u32(version)
    out.u32(UInt32(padded - preambleSize))
    out.bytes.reserveCapacity(padded)
    out.bytes.append(contentsOf: header)
    out.bytes.append(contentsOf: repeatElement(0, count: padded - unpadded))
    return out
  }

  /// The finished file: `out` followed by its SHA-256.
  package static func seal(_ out: ByteWriter) -> [UInt8] {
    var bytes = out.bytes
    bytes.append(contentsOf: SHA256.hash(data: bytes))
    return bytes
  }

  /// Checks a file whose magic the caller has recognised: its version (`unsupported`
  /// names the error for another one), its size and its checksum. Returns a reader
  /// positioned at the header and limited to it, and where the state starts; the
  /// state runs to `bytes.count - checksumSize`.
  package static func open(
    _ bytes: [UInt8], version expected: UInt32, unsupported: (UInt32) -> PartialFormatError
  ) throws -> (header: ByteReader, stateStart: Int) {
    var r = ByteReader(bytes)
    r.at = 8
    let version = try r.u32("format version")
    guard version == expected else { throw unsupported(version) }
    guard bytes.count >= preambleSize + checksumSize else { throw PartialFormatError.truncated("\(bytes.count) bytes") }
    let body = bytes[..<(bytes.count - checksumSize)]
    guard Array(SHA256.hash(data: body)) == Array(bytes.suffix(checksumSize)) else { throw PartialFormatError.badChecksum }
    r.limit = body.count
    let headerLength = Int(try r.u32("header length"))
    let stateStart = preambleSize + headerLength
    guard stateStart <= body.count else { throw PartialFormatError.truncated("header of \(headerLength) bytes") }
    r.limit = stateStart
    return (r, stateStart)
  }

  /// Where the state of a well-formed file starts (tests that alter a count use it).
  package static func stateStart(_ bytes: [UInt8]) throws -> Int {
    var r = ByteReader(bytes)
    r.at = 12
    return preambleSize + Int(try r.u32("header length"))
  }
}
