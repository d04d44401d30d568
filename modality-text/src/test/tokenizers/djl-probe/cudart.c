/* A stand-in CUDA runtime that reports one compute-capability 9.0 GPU (an H100/H200) on CUDA 12.4. */
int cudaGetDeviceCount(int *count) { *count = 1; return 0; }
int cudaRuntimeGetVersion(int *v) { *v = 12040; return 0; }
int cudaDeviceGetAttribute(int *pi, int attr, int device) { *pi = attr == 75 ? 9 : 0; return 0; }
int cudaMemGetInfo(unsigned long *f, unsigned long *t) { *f = 1; *t = 1; return 0; }
const char *cudaGetErrorString(int e) { return "fake"; }
