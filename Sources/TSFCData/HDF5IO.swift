// Low-level libhdf5 helpers. Callers hold `HDF5Lock`.
import CHDF5
import Foundation

enum HDF5IO {
    /// The most elements one dataset may have (16 GiB of Float); larger shapes are refused
    /// rather than attempted.
    static let maxElements = 1 << 32

    static func join(_ parent: String, _ name: String) -> String {
        parent.hasSuffix("/") ? parent + name : parent + "/" + name
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// True when every link on `path` exists (H5Lexists on each prefix, as HDF5 requires).
    static func exists(_ fid: hid_t, _ path: String) -> Bool {
        if path == "/" { return true }
        guard path.hasPrefix("/") else { return false }
        var prefix = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + part
            guard H5Lexists(fid, prefix, tsfc_H5P_DEFAULT()) > 0 else { return false }
        }
        return true
    }

    /// Names of a group's members in name order.
    static func members(_ gid: hid_t, file: String, path: String) throws -> [String] {
        var info = H5G_info_t()
        guard H5Gget_info(gid, &info) >= 0 else { throw DataError.hdf5Failure(file: file, path: path, operation: "group listing") }
        var names = [String]()
        for k in 0..<info.nlinks {
            let size = H5Lget_name_by_idx(gid, ".", H5_INDEX_NAME, H5_ITER_INC, k, nil, 0, tsfc_H5P_DEFAULT())
            guard size >= 0 else { throw DataError.hdf5Failure(file: file, path: path, operation: "link name") }
            var buffer = [CChar](repeating: 0, count: Int(size) + 1)
            _ = H5Lget_name_by_idx(gid, ".", H5_INDEX_NAME, H5_ITER_INC, k, &buffer, Int(size) + 1, tsfc_H5P_DEFAULT())
            names.append(String(cString: buffer))
        }
        return names
    }

    /// Reads a numeric dataset as Float, with its dimensions.
    static func readNumeric(_ fid: hid_t, _ path: String, file: String) throws -> ([Float], [Int]) {
        let did = try openNumeric(fid, path, file: file)
        defer { H5Dclose(did) }
        let dims = try dimensions(did, file: file, path: path)
        var count = 1
        for d in dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= maxElements else {
                throw DataError.unsupportedDataset(file: file, path: path, reason: "the dataset (shape \(dims)) is too large to load")
            }
            count = product
        }
        var data = [Float](repeating: 0, count: count)
        if count > 0 {
            let status = data.withUnsafeMutableBytes {
                H5Dread(did, tsfc_H5T_NATIVE_FLOAT(), tsfc_H5S_ALL(), tsfc_H5S_ALL(), tsfc_H5P_DEFAULT(), $0.baseAddress)
            }
            guard status >= 0 else { throw DataError.hdf5Failure(file: file, path: path, operation: "read") }
        }
        return (data, dims)
    }

    /// Opens the dataset at `path` (the caller closes it) after checking that it holds numbers.
    private static func openNumeric(_ fid: hid_t, _ path: String, file: String) throws -> hid_t {
        let did = H5Dopen2(fid, path, tsfc_H5P_DEFAULT())
        guard did >= 0 else { throw DataError.unsupportedDataset(file: file, path: path, reason: "not a dataset") }
        let type = H5Dget_type(did)
        defer { H5Tclose(type) }
        let typeClass = H5Tget_class(type)
        guard typeClass == H5T_FLOAT || typeClass == H5T_INTEGER else {
            H5Dclose(did)
            throw DataError.unsupportedDataset(file: file, path: path, reason: "the values are not numbers (HDF5 class \(typeClass.rawValue))")
        }
        return did
    }

    /// The shape of the dataset at `path`, without reading it.
    static func shape(_ fid: hid_t, _ path: String, file: String) throws -> [Int] {
        let did = H5Dopen2(fid, path, tsfc_H5P_DEFAULT())
        guard did >= 0 else { throw DataError.unsupportedDataset(file: file, path: path, reason: "not a dataset") }
        defer { H5Dclose(did) }
        return try dimensions(did, file: file, path: path)
    }

    /// Columns `columns` of a 2-D numeric dataset of `shape` [T, C], read as one hyperslab
    /// (rows × the chosen columns) into a row-major [T, columns.count] buffer.
    static func readColumns(_ fid: hid_t, _ path: String, columns: Range<Int>, shape: [Int], file: String) throws -> [Float] {
        let did = try openNumeric(fid, path, file: file)
        defer { H5Dclose(did) }
        let rows = shape[0], width = columns.count
        guard rows * width <= maxElements else {
            throw DataError.unsupportedDataset(file: file, path: path, reason: "the selection (\(rows) × \(width)) is too large to load")
        }
        var data = [Float](repeating: 0, count: rows * width)
        guard rows > 0, width > 0 else { return data }
        let fileSpace = H5Dget_space(did)
        defer { H5Sclose(fileSpace) }
        var start: [hsize_t] = [0, hsize_t(columns.lowerBound)], count: [hsize_t] = [hsize_t(rows), hsize_t(width)]
        guard H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &count, nil) >= 0 else {
            throw DataError.hdf5Failure(file: file, path: path, operation: "hyperslab selection")
        }
        let memorySpace = H5Screate_simple(2, &count, nil)
        defer { H5Sclose(memorySpace) }
        let status = data.withUnsafeMutableBytes {
            H5Dread(did, tsfc_H5T_NATIVE_FLOAT(), memorySpace, fileSpace, tsfc_H5P_DEFAULT(), $0.baseAddress)
        }
        guard status >= 0 else { throw DataError.hdf5Failure(file: file, path: path, operation: "read") }
        return data
    }

    static func dimensions(_ did: hid_t, file: String, path: String) throws -> [Int] {
        let space = H5Dget_space(did)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0, rank <= 32 else { throw DataError.hdf5Failure(file: file, path: path, operation: "shape query") }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 { _ = H5Sget_simple_extent_dims(space, &dims, nil) }
        return dims.map { Int($0) }
    }

    /// Timestamps: an integer dataset (epoch seconds) or a string dataset (ISO-8601).
    static func readTimestamps(_ fid: hid_t, _ path: String, file: String) throws -> [Int64] {
        let did = H5Dopen2(fid, path, tsfc_H5P_DEFAULT())
        guard did >= 0 else { throw DataError.datasetNotFound(file: file, path: path) }
        defer { H5Dclose(did) }
        let type = H5Dget_type(did)
        defer { H5Tclose(type) }
        let dims = try dimensions(did, file: file, path: path)
        guard dims.count == 1, dims[0] <= maxElements else {
            throw DataError.unsupportedDataset(file: file, path: path, reason: "timestamps must be 1-D, shape is \(dims)")
        }
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            var stamps = [Int64](repeating: 0, count: dims[0])
            let status = stamps.withUnsafeMutableBytes {
                H5Dread(did, tsfc_H5T_NATIVE_INT64(), tsfc_H5S_ALL(), tsfc_H5S_ALL(), tsfc_H5P_DEFAULT(), $0.baseAddress)
            }
            guard status >= 0 else { throw DataError.hdf5Failure(file: file, path: path, operation: "read") }
            return stamps
        case H5T_STRING:
            let strings = try readStrings(did, type: type, count: dims[0], isAttribute: false, file: file, path: path)
            return try strings.enumerated().map { k, text in
                guard let t = Timestamp.parse(text) else {
                    throw DataError.badTimestamp(SourceLocation(file: "\(file):\(path)", column: "row \(k)"), text: text)
                }
                return t
            }
        default:
            throw DataError.unsupportedDataset(file: file, path: path, reason: "timestamps must be integers or strings")
        }
    }

    /// Reads `count` strings (fixed or variable length) from a dataset or attribute.
    static func readStrings(_ id: hid_t, type: hid_t, count: Int, isAttribute: Bool, file: String, path: String) throws -> [String] {
        let memType = H5Tcopy(tsfc_H5T_C_S1())
        defer { H5Tclose(memType) }
        if H5Tis_variable_str(type) > 0 {
            H5Tset_size(memType, tsfc_H5T_VARIABLE())
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBytes {
                isAttribute ? H5Aread(id, memType, $0.baseAddress)
                    : H5Dread(id, memType, tsfc_H5S_ALL(), tsfc_H5S_ALL(), tsfc_H5P_DEFAULT(), $0.baseAddress)
            }
            guard status >= 0 else { throw DataError.hdf5Failure(file: file, path: path, operation: "string read") }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            let space = isAttribute ? H5Aget_space(id) : H5Dget_space(id)
            _ = pointers.withUnsafeMutableBytes { tsfc_H5_reclaim_vlen(memType, space, $0.baseAddress) }
            H5Sclose(space)
            return strings
        }
        let size = H5Tget_size(type)
        guard size > 0, size < 1 << 20 else { throw DataError.unsupportedDataset(file: file, path: path, reason: "string size \(size)") }
        H5Tset_size(memType, size)
        let (total, overflow) = size.multipliedReportingOverflow(by: count)
        guard !overflow, total <= 1 << 34 else {
            throw DataError.unsupportedDataset(file: file, path: path, reason: "\(count) strings of \(size) bytes are too large to load")
        }
        var bytes = [UInt8](repeating: 0, count: total)
        let status = bytes.withUnsafeMutableBytes {
            isAttribute ? H5Aread(id, memType, $0.baseAddress)
                : H5Dread(id, memType, tsfc_H5S_ALL(), tsfc_H5S_ALL(), tsfc_H5P_DEFAULT(), $0.baseAddress)
        }
        guard status >= 0 else { throw DataError.hdf5Failure(file: file, path: path, operation: "string read") }
        return (0..<count).map { k in
            let slice = bytes[k * size..<(k + 1) * size]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: bytes[slice.startIndex..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
    }

    /// A 1-D string attribute, or nil when absent.
    static func readStringAttribute(_ oid: hid_t, _ name: String, file: String, path: String) throws -> [String]? {
        guard H5Aexists(oid, name) > 0 else { return nil }
        let aid = H5Aopen(oid, name, tsfc_H5P_DEFAULT())
        guard aid >= 0 else { throw DataError.hdf5Failure(file: file, path: "\(path)@\(name)", operation: "attribute open") }
        defer { H5Aclose(aid) }
        let type = H5Aget_type(aid)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING else {
            throw DataError.unsupportedDataset(file: file, path: "\(path)@\(name)", reason: "the attribute must hold strings")
        }
        let space = H5Aget_space(aid)
        let count = Int(H5Sget_simple_extent_npoints(space))
        H5Sclose(space)
        guard count >= 0, count <= 1 << 20 else {
            throw DataError.unsupportedDataset(file: file, path: "\(path)@\(name)", reason: "the attribute has \(count) strings")
        }
        return try readStrings(aid, type: type, count: count, isAttribute: true, file: file, path: "\(path)@\(name)")
    }

    private static func linkCreationList() -> hid_t {
        let lcpl = H5Pcreate(tsfc_H5P_LINK_CREATE())
        H5Pset_create_intermediate_group(lcpl, 1)
        return lcpl
    }

    static func writeFloat(_ fid: hid_t, _ path: String, _ values: [Float], dims: [Int], file: String) throws {
        try write(fid, path, dims: dims, fileType: tsfc_H5T_IEEE_F32LE(), memType: tsfc_H5T_NATIVE_FLOAT(), file: file) { did in
            values.withUnsafeBytes { H5Dwrite(did, tsfc_H5T_NATIVE_FLOAT(), tsfc_H5S_ALL(), tsfc_H5S_ALL(), tsfc_H5P_DEFAULT(), $0.baseAddress) }
        }
    }

    static func writeInt64(_ fid: hid_t, _ path: String, _ values: [Int64], file: String) throws {
        try write(fid, path, dims: [values.count], fileType: tsfc_H5T_STD_I64LE(), memType: tsfc_H5T_NATIVE_INT64(), file: file) { did in
            values.withUnsafeBytes { H5Dwrite(did, tsfc_H5T_NATIVE_INT64(), tsfc_H5S_ALL(), tsfc_H5S_ALL(), tsfc_H5P_DEFAULT(), $0.baseAddress) }
        }
    }

    private static func write(_ fid: hid_t, _ path: String, dims: [Int], fileType: hid_t, memType: hid_t, file: String,
                              body: (hid_t) -> herr_t) throws {
        var hdims = dims.map { hsize_t($0) }
        let space = H5Screate_simple(Int32(dims.count), &hdims, nil)
        defer { H5Sclose(space) }
        let lcpl = linkCreationList()
        defer { H5Pclose(lcpl) }
        let did = H5Dcreate2(fid, path, fileType, space, lcpl, tsfc_H5P_DEFAULT(), tsfc_H5P_DEFAULT())
        guard did >= 0 else { throw DataError.hdf5Failure(file: file, path: path, operation: "dataset creation") }
        defer { H5Dclose(did) }
        guard body(did) >= 0 else { throw DataError.hdf5Failure(file: file, path: path, operation: "write") }
    }

    static func writeStringAttribute(_ fid: hid_t, _ path: String, _ name: String, _ strings: [String], file: String) throws {
        let oid = H5Oopen(fid, path, tsfc_H5P_DEFAULT())
        guard oid >= 0 else { throw DataError.datasetNotFound(file: file, path: path) }
        defer { H5Oclose(oid) }
        let type = H5Tcopy(tsfc_H5T_C_S1())
        defer { H5Tclose(type) }
        H5Tset_size(type, tsfc_H5T_VARIABLE())
        var dims = [hsize_t(strings.count)]
        let space = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let aid = H5Acreate2(oid, name, type, space, tsfc_H5P_DEFAULT(), tsfc_H5P_DEFAULT())
        guard aid >= 0 else { throw DataError.hdf5Failure(file: file, path: "\(path)@\(name)", operation: "attribute creation") }
        defer { H5Aclose(aid) }
        let duplicates = strings.map { strdup($0) }
        defer { duplicates.forEach { free($0) } }
        let status = duplicates.withUnsafeBytes { H5Awrite(aid, type, $0.baseAddress) }
        guard status >= 0 else { throw DataError.hdf5Failure(file: file, path: "\(path)@\(name)", operation: "attribute write") }
    }
}
