// CHDF5: libhdf5 (Debian: libhdf5-dev, include/link paths from pkg-config "hdf5").
// HDF5 exposes its native types and property-list defaults as macros over global ids, which Swift
// cannot import; these inline wrappers make them callable.
#include <hdf5.h>

static inline hid_t tsfc_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t tsfc_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t tsfc_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t tsfc_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t tsfc_H5T_C_S1(void) { return H5T_C_S1; }
static inline hid_t tsfc_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t tsfc_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t tsfc_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline unsigned tsfc_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned tsfc_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline size_t tsfc_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hid_t tsfc_H5E_DEFAULT(void) { return H5E_DEFAULT; }
static inline hid_t tsfc_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t tsfc_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t tsfc_H5T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t tsfc_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
// Silences HDF5's default error printer (the library must not print); returns < 0 on failure.
static inline herr_t tsfc_H5_silence_errors(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
// Frees the strings of a variable-length string read (HDF5 1.10 and later).
static inline herr_t tsfc_H5_reclaim_vlen(hid_t type, hid_t space, void *buffer) {
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
}
