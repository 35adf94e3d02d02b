import CZlib

/// gzip, the one Kafka compression codec (attributes 1) that zlib covers: produce requests with
/// compression.type=gzip are decompressed to records. snappy, lz4 and zstd are refused with
/// UNSUPPORTED_COMPRESSION_TYPE (no library for them here).
enum Gzip {
    struct Failure: Error, Equatable { var reason: String }

    /// Inflates a gzip (or zlib) stream; refuses output above `limit` bytes (a decompression bomb).
    static func decompress(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: the largest window, with the gzip or zlib header detected automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(reason: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var source = input
        var status: Int32 = Z_OK
        try source.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            repeat {
                try chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else {
                        throw Failure(reason: "corrupt gzip data (zlib status \(status))")
                    }
                    let produced = outBuf.count - Int(stream.avail_out)
                    guard output.count + produced <= limit else { throw Failure(reason: "decompresses to more than \(limit) bytes") }
                    output.append(contentsOf: outBuf[0..<produced])
                }
                if status != Z_STREAM_END && stream.avail_in == 0 && stream.avail_out != 0 {
                    throw Failure(reason: "truncated gzip data")
                }
            } while status != Z_STREAM_END
        }
        return output
    }

    /// Compresses with a gzip header (for tests and a future compressed fetch).
    static func compress(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(reason: "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var source = input
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        let written: Int = try source.withUnsafeMutableBufferPointer { inBuf in
            try output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { throw Failure(reason: "deflate did not finish") }
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }
}
