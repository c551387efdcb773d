/* A PNG put on the clipboard is also offered as CF_DIB (what most Windows programs paste):
 * decoded with the Windows Imaging Component into a bottom-up 32-bit bitmap. */
#define COBJMACROS
#include "_win32.h"

#include <ole2.h>
#include <stdlib.h>
#include <string.h>
#include <wincodec.h>

#include "_clipboard.h"

HGLOBAL od_clip_png_to_dib(const uint8_t *png, size_t n, char *error) {
  if (n > 0xffffffffu) return NULL;
  HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  IWICImagingFactory *factory = NULL;
  IWICStream *stream = NULL;
  IWICBitmapDecoder *decoder = NULL;
  IWICBitmapFrameDecode *frame = NULL;
  IWICBitmapSource *bgra = NULL;
  HGLOBAL mem = NULL;
  UINT w = 0, h = 0;
  HRESULT hr = CoCreateInstance(&CLSID_WICImagingFactory, NULL, CLSCTX_INPROC_SERVER,
                                &IID_IWICImagingFactory, (void **)&factory);
  if (SUCCEEDED(hr)) hr = IWICImagingFactory_CreateStream(factory, &stream);
  if (SUCCEEDED(hr)) hr = IWICStream_InitializeFromMemory(stream, (BYTE *)png, (DWORD)n);
  if (SUCCEEDED(hr))
    hr = IWICImagingFactory_CreateDecoderFromStream(factory, (IStream *)stream, NULL,
                                                    WICDecodeMetadataCacheOnDemand, &decoder);
  if (SUCCEEDED(hr)) hr = IWICBitmapDecoder_GetFrame(decoder, 0, &frame);
  if (SUCCEEDED(hr))
    hr = WICConvertBitmapSource(&GUID_WICPixelFormat32bppBGRA, (IWICBitmapSource *)frame, &bgra);
  if (SUCCEEDED(hr)) hr = IWICBitmapSource_GetSize(bgra, &w, &h);
  if (SUCCEEDED(hr) && (w == 0 || h == 0 || w > 32768 || h > 32768)) hr = E_INVALIDARG;
  uint8_t *rows = NULL;
  if (SUCCEEDED(hr)) {
    rows = malloc((size_t)w * 4 * h);
    hr = rows ? IWICBitmapSource_CopyPixels(bgra, NULL, w * 4, w * 4 * h, rows) : E_OUTOFMEMORY;
  }
  if (SUCCEEDED(hr)) {
    size_t bytes = sizeof(BITMAPINFOHEADER) + (size_t)w * 4 * h;
    mem = GlobalAlloc(GMEM_MOVEABLE | GMEM_ZEROINIT, bytes);
    uint8_t *p = mem ? GlobalLock(mem) : NULL;
    if (p) {
      BITMAPINFOHEADER *bh = (BITMAPINFOHEADER *)p;
      bh->biSize = sizeof *bh;
      bh->biWidth = (LONG)w;
      bh->biHeight = (LONG)h; /* bottom-up, the form every program reads */
      bh->biPlanes = 1;
      bh->biBitCount = 32;
      bh->biCompression = BI_RGB;
      bh->biSizeImage = w * 4 * h;
      for (UINT y = 0; y < h; y++)
        memcpy(p + sizeof *bh + (size_t)(h - 1 - y) * w * 4, rows + (size_t)y * w * 4,
               (size_t)w * 4);
      GlobalUnlock(mem);
    } else if (mem) {
      GlobalFree(mem);
      mem = NULL;
    }
  }
  if (FAILED(hr))
    od_win_fail_hr(error, OD_ERR_ENCODE, hr, "The PNG could not be decoded for CF_DIB");
  free(rows);
  if (bgra) IWICBitmapSource_Release(bgra);
  if (frame) IWICBitmapFrameDecode_Release(frame);
  if (decoder) IWICBitmapDecoder_Release(decoder);
  if (stream) IWICStream_Release(stream);
  if (factory) IWICImagingFactory_Release(factory);
  if (SUCCEEDED(init)) CoUninitialize();
  return mem;
}
