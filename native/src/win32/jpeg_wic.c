/* JPEG on Windows through the Windows Imaging Component (part of every Windows since Vista),
 * standing in for native/src/common/jpeg.c, whose libjpeg-turbo has no mingw build here. Same
 * contract: reads BGRX rows, writes into the caller's buffer, reports a full buffer as
 * OD_ERR_BUFFER_TOO_SMALL. WIC takes 24-bit BGR, so rows are converted in strips. The encoder
 * writes into a growable memory stream that is then copied out: a stream over the caller's
 * buffer would do without the copy, but an encoder that runs past its end reports only a
 * generic failure (Wine: E_FAIL), which could not be told apart from a real one. */
#define COBJMACROS
#include "_win32.h"

#include <ole2.h>
#include <stdlib.h>
#include <string.h>
#include <wincodec.h>

#define OD_JPEG_STRIP 64

uint64_t od_jpeg_bound(uint32_t w, uint32_t h) {
  /* Baseline JPEG at quality 100 stays well under 3 bytes a pixel plus headers. */
  return (uint64_t)w * h * 3 + 4096;
}

static int od_wic_fail(char *error, const char *what, HRESULT hr) {
  od_error_text(error, "Cannot encode JPEG: %s failed (HRESULT 0x%08lx)", what,
                (unsigned long)hr);
  return OD_ERR_ENCODE;
}

int od_jpeg_encode(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, uint32_t quality,
                   int compact, uint8_t *out, uint64_t cap, uint64_t *len, char *error) {
  (void)compact; /* WIC chooses its own Huffman tables */
  HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  IWICImagingFactory *factory = NULL;
  IStream *stream = NULL;
  IWICBitmapEncoder *encoder = NULL;
  IWICBitmapFrameEncode *frame = NULL;
  IPropertyBag2 *props = NULL;
  uint8_t *strip = NULL;
  int status = OD_OK;
  HRESULT hr = CoCreateInstance(&CLSID_WICImagingFactory, NULL, CLSCTX_INPROC_SERVER,
                                &IID_IWICImagingFactory, (void **)&factory);
  if (FAILED(hr)) {
    status = od_wic_fail(error, "creating the WIC factory", hr);
    goto done;
  }
  hr = CreateStreamOnHGlobal(NULL, TRUE, &stream);
  if (SUCCEEDED(hr))
    hr = IWICImagingFactory_CreateEncoder(factory, &GUID_ContainerFormatJpeg, NULL, &encoder);
  if (SUCCEEDED(hr))
    hr = IWICBitmapEncoder_Initialize(encoder, stream, WICBitmapEncoderNoCache);
  if (SUCCEEDED(hr)) hr = IWICBitmapEncoder_CreateNewFrame(encoder, &frame, &props);
  if (FAILED(hr)) {
    status = od_wic_fail(error, "creating the JPEG encoder", hr);
    goto done;
  }
  PROPBAG2 option;
  memset(&option, 0, sizeof option);
  option.pstrName = L"ImageQuality";
  VARIANT value;
  VariantInit(&value);
  value.vt = VT_R4;
  value.fltVal = (float)(quality < 1 ? 1 : quality > 100 ? 100 : quality) / 100.0f;
  IPropertyBag2_Write(props, 1, &option, &value); /* an encoder without the option keeps its default */
  hr = IWICBitmapFrameEncode_Initialize(frame, props);
  if (SUCCEEDED(hr)) hr = IWICBitmapFrameEncode_SetSize(frame, w, h);
  WICPixelFormatGUID format = GUID_WICPixelFormat24bppBGR;
  if (SUCCEEDED(hr)) hr = IWICBitmapFrameEncode_SetPixelFormat(frame, &format);
  if (SUCCEEDED(hr) && !IsEqualGUID(&format, &GUID_WICPixelFormat24bppBGR)) hr = E_NOTIMPL;
  if (FAILED(hr)) {
    status = od_wic_fail(error, "setting up the JPEG frame", hr);
    goto done;
  }
  uint32_t row_bytes = (w * 3 + 3) & ~3u;
  strip = malloc((size_t)row_bytes * OD_JPEG_STRIP);
  if (!strip) {
    od_error_text(error, "Cannot encode JPEG: out of memory");
    status = OD_ERR_NO_MEMORY;
    goto done;
  }
  for (uint32_t y = 0; y < h && SUCCEEDED(hr); y += OD_JPEG_STRIP) {
    uint32_t rows = h - y < OD_JPEG_STRIP ? h - y : OD_JPEG_STRIP;
    for (uint32_t r = 0; r < rows; r++) {
      const uint8_t *s = px + (size_t)(y + r) * stride;
      uint8_t *d = strip + (size_t)r * row_bytes;
      for (uint32_t x = 0; x < w; x++, s += 4, d += 3) {
        d[0] = s[0];
        d[1] = s[1];
        d[2] = s[2];
      }
    }
    hr = IWICBitmapFrameEncode_WritePixels(frame, rows, row_bytes, row_bytes * rows, strip);
  }
  if (SUCCEEDED(hr)) hr = IWICBitmapFrameEncode_Commit(frame);
  if (SUCCEEDED(hr)) hr = IWICBitmapEncoder_Commit(encoder);
  if (FAILED(hr)) {
    status = od_wic_fail(error, "writing the JPEG", hr);
    goto done;
  }
  LARGE_INTEGER zero = {{0, 0}};
  ULARGE_INTEGER end;
  HGLOBAL memory = NULL;
  hr = IStream_Seek(stream, zero, STREAM_SEEK_CUR, &end);
  if (SUCCEEDED(hr)) hr = GetHGlobalFromStream(stream, &memory);
  if (FAILED(hr)) {
    status = od_wic_fail(error, "reading the JPEG back", hr);
    goto done;
  }
  *len = end.QuadPart;
  if (end.QuadPart > cap) {
    od_error_text(error, "Cannot encode JPEG: %llu bytes do not fit in %llu",
                  (unsigned long long)end.QuadPart, (unsigned long long)cap);
    status = OD_ERR_BUFFER_TOO_SMALL;
    goto done;
  }
  const void *bytes = GlobalLock(memory);
  if (!bytes) {
    status = od_wic_fail(error, "GlobalLock", HRESULT_FROM_WIN32(GetLastError()));
    goto done;
  }
  memcpy(out, bytes, (size_t)end.QuadPart);
  GlobalUnlock(memory);
done:
  free(strip);
  if (props) IPropertyBag2_Release(props);
  if (frame) IWICBitmapFrameEncode_Release(frame);
  if (encoder) IWICBitmapEncoder_Release(encoder);
  if (stream) IStream_Release(stream);
  if (factory) IWICImagingFactory_Release(factory);
  if (SUCCEEDED(init)) CoUninitialize();
  return status;
}
