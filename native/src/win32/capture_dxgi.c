/* Desktop Duplication (DXGI 1.2, Windows 8 and later): one duplication per monitor of the first
 * adapter, each frame copied through a CPU-readable staging texture into a per-monitor copy of
 * the whole monitor. AcquireNextFrame only returns when the screen changed, so an unchanged
 * screen is served from that copy. Used only when every monitor can be duplicated and is not
 * rotated; anything else makes od_dxgi_grab answer OD_ERR_UNSUPPORTED and the caller uses GDI.
 * Callers hold the display lock. */
#define COBJMACROS
#include "_win32.h"

#include <d3d11.h>
#include <dxgi1_2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OD_DXGI_MAX_OUTPUTS 16
#define OD_DXGI_FIRST_FRAME_MS 500 /* the first AcquireNextFrame waits for a whole frame */

typedef struct {
  IDXGIOutput1 *output;
  IDXGIOutputDuplication *dup;
  ID3D11Texture2D *staging;
  RECT rect; /* desktop coordinates */
  uint8_t *copy; /* the last frame, BGRX, (rect width * 4) bytes per row */
  int have_copy;
} od_dxgi_output;

struct od_dxgi {
  ID3D11Device *device;
  ID3D11DeviceContext *context;
  uint32_t count;
  od_dxgi_output out[OD_DXGI_MAX_OUTPUTS];
};

static void od_dxgi_release_output(od_dxgi_output *o) {
  if (o->staging) ID3D11Texture2D_Release(o->staging);
  if (o->dup) IDXGIOutputDuplication_Release(o->dup);
  if (o->output) IDXGIOutput1_Release(o->output);
  free(o->copy);
  memset(o, 0, sizeof *o);
}

void od_dxgi_close(struct od_dxgi *dx) {
  if (!dx) return;
  for (uint32_t i = 0; i < dx->count; i++) od_dxgi_release_output(&dx->out[i]);
  if (dx->context) ID3D11DeviceContext_Release(dx->context);
  if (dx->device) ID3D11Device_Release(dx->device);
  free(dx);
}

static HRESULT od_dxgi_duplicate(struct od_dxgi *dx, od_dxgi_output *o) {
  if (o->dup) {
    IDXGIOutputDuplication_Release(o->dup);
    o->dup = NULL;
  }
  o->have_copy = 0;
  return IDXGIOutput1_DuplicateOutput(o->output, (IUnknown *)dx->device, &o->dup);
}

struct od_dxgi *od_dxgi_open(char *why, size_t why_cap) {
  struct od_dxgi *dx = calloc(1, sizeof *dx);
  if (!dx) {
    snprintf(why, why_cap, "out of memory");
    return NULL;
  }
  IDXGIDevice *dxgi_device = NULL;
  IDXGIAdapter *adapter = NULL;
  HRESULT hr = D3D11CreateDevice(NULL, D3D_DRIVER_TYPE_HARDWARE, NULL, 0, NULL, 0,
                                 D3D11_SDK_VERSION, &dx->device, NULL, &dx->context);
  if (FAILED(hr)) {
    snprintf(why, why_cap, "D3D11CreateDevice failed (HRESULT 0x%08lx)", (unsigned long)hr);
    goto fail;
  }
  hr = ID3D11Device_QueryInterface(dx->device, &IID_IDXGIDevice, (void **)&dxgi_device);
  if (SUCCEEDED(hr)) hr = IDXGIDevice_GetAdapter(dxgi_device, &adapter);
  if (FAILED(hr)) {
    snprintf(why, why_cap, "no DXGI adapter (HRESULT 0x%08lx)", (unsigned long)hr);
    goto fail;
  }
  for (UINT i = 0; dx->count < OD_DXGI_MAX_OUTPUTS; i++) {
    IDXGIOutput *output = NULL;
    if (IDXGIAdapter_EnumOutputs(adapter, i, &output) != S_OK) break;
    od_dxgi_output *o = &dx->out[dx->count];
    DXGI_OUTPUT_DESC desc;
    hr = IDXGIOutput_GetDesc(output, &desc);
    if (SUCCEEDED(hr))
      hr = IDXGIOutput_QueryInterface(output, &IID_IDXGIOutput1, (void **)&o->output);
    IDXGIOutput_Release(output);
    if (FAILED(hr)) {
      snprintf(why, why_cap, "output %u has no IDXGIOutput1 (HRESULT 0x%08lx)", i,
               (unsigned long)hr);
      goto fail;
    }
    dx->count++;
    if (!desc.AttachedToDesktop) {
      od_dxgi_release_output(o);
      dx->count--;
      continue;
    }
    if (desc.Rotation != DXGI_MODE_ROTATION_IDENTITY &&
        desc.Rotation != DXGI_MODE_ROTATION_UNSPECIFIED) {
      snprintf(why, why_cap, "monitor %u is rotated", i);
      goto fail;
    }
    o->rect = desc.DesktopCoordinates;
    hr = od_dxgi_duplicate(dx, o);
    if (FAILED(hr)) {
      snprintf(why, why_cap, "DuplicateOutput failed for monitor %u (HRESULT 0x%08lx)", i,
               (unsigned long)hr);
      goto fail;
    }
    size_t bytes = (size_t)(o->rect.right - o->rect.left) * 4 * (size_t)(o->rect.bottom - o->rect.top);
    o->copy = malloc(bytes);
    if (!o->copy) {
      snprintf(why, why_cap, "out of memory");
      goto fail;
    }
  }
  if (dx->count == 0 || (int)dx->count != GetSystemMetrics(SM_CMONITORS)) {
    snprintf(why, why_cap, "the first adapter drives %u of %d monitors", dx->count,
             GetSystemMetrics(SM_CMONITORS));
    goto fail;
  }
  IDXGIAdapter_Release(adapter);
  IDXGIDevice_Release(dxgi_device);
  return dx;
fail:
  if (adapter) IDXGIAdapter_Release(adapter);
  if (dxgi_device) IDXGIDevice_Release(dxgi_device);
  od_dxgi_close(dx);
  return NULL;
}

/* Brings o->copy up to date with the newest frame (or keeps it when nothing changed). */
static HRESULT od_dxgi_refresh(struct od_dxgi *dx, od_dxgi_output *o) {
  DXGI_OUTDUPL_FRAME_INFO info;
  IDXGIResource *resource = NULL;
  HRESULT hr = IDXGIOutputDuplication_AcquireNextFrame(
      o->dup, o->have_copy ? 0 : OD_DXGI_FIRST_FRAME_MS, &info, &resource);
  if (hr == DXGI_ERROR_WAIT_TIMEOUT && o->have_copy) return S_OK;
  if (FAILED(hr)) return hr;
  ID3D11Texture2D *texture = NULL;
  hr = IDXGIResource_QueryInterface(resource, &IID_ID3D11Texture2D, (void **)&texture);
  IDXGIResource_Release(resource);
  if (SUCCEEDED(hr) && info.LastPresentTime.QuadPart == 0 && o->have_copy) {
    /* Only the pointer moved: the desktop image is unchanged. */
    ID3D11Texture2D_Release(texture);
    IDXGIOutputDuplication_ReleaseFrame(o->dup);
    return S_OK;
  }
  if (SUCCEEDED(hr) && !o->staging) {
    D3D11_TEXTURE2D_DESC desc;
    ID3D11Texture2D_GetDesc(texture, &desc);
    desc.Usage = D3D11_USAGE_STAGING;
    desc.BindFlags = 0;
    desc.CPUAccessFlags = D3D11_CPU_ACCESS_READ;
    desc.MiscFlags = 0;
    desc.MipLevels = 1;
    desc.ArraySize = 1;
    hr = ID3D11Device_CreateTexture2D(dx->device, &desc, NULL, &o->staging);
  }
  if (SUCCEEDED(hr)) {
    ID3D11DeviceContext_CopyResource(dx->context, (ID3D11Resource *)o->staging,
                                     (ID3D11Resource *)texture);
    D3D11_MAPPED_SUBRESOURCE map;
    hr = ID3D11DeviceContext_Map(dx->context, (ID3D11Resource *)o->staging, 0, D3D11_MAP_READ, 0,
                                 &map);
    if (SUCCEEDED(hr)) {
      uint32_t w = (uint32_t)(o->rect.right - o->rect.left);
      uint32_t h = (uint32_t)(o->rect.bottom - o->rect.top);
      for (uint32_t y = 0; y < h; y++)
        memcpy(o->copy + (size_t)y * w * 4, (uint8_t *)map.pData + (size_t)y * map.RowPitch,
               (size_t)w * 4);
      ID3D11DeviceContext_Unmap(dx->context, (ID3D11Resource *)o->staging, 0);
      o->have_copy = 1;
    }
  }
  if (texture) ID3D11Texture2D_Release(texture);
  IDXGIOutputDuplication_ReleaseFrame(o->dup);
  return hr;
}

int od_dxgi_grab(struct od_dxgi *dx, od_frame *frame, const RECT *area) {
  od_dxgi_output *o = NULL;
  for (uint32_t i = 0; i < dx->count; i++) {
    const RECT *r = &dx->out[i].rect;
    if (area->left >= r->left && area->top >= r->top && area->right <= r->right &&
        area->bottom <= r->bottom)
      o = &dx->out[i];
  }
  if (!o || !o->dup) return OD_ERR_UNSUPPORTED;
  HRESULT hr = od_dxgi_refresh(dx, o);
  if (hr == DXGI_ERROR_ACCESS_LOST) {
    /* Mode change, secure desktop or a full-screen app: duplicate again once. */
    if (FAILED(od_dxgi_duplicate(dx, o))) return OD_ERR_UNSUPPORTED;
    hr = od_dxgi_refresh(dx, o);
  }
  if (FAILED(hr) || !o->have_copy) return OD_ERR_UNSUPPORTED;
  uint32_t width = (uint32_t)(area->right - area->left);
  uint32_t height = (uint32_t)(area->bottom - area->top);
  if (frame->backing) {
    /* A GDI DIB from an earlier capture: drop it, this frame now uses its own memory. */
    frame->backing->release(frame->backing);
    frame->backing = NULL;
  }
  if (od_frame_reserve_own(frame, (size_t)width * height * 4) != OD_OK) return OD_ERR_NO_MEMORY;
  uint32_t ow = (uint32_t)(o->rect.right - o->rect.left);
  for (uint32_t y = 0; y < height; y++)
    memcpy(frame->own + (size_t)y * width * 4,
           o->copy + ((size_t)(area->top - o->rect.top + (LONG)y) * ow +
                      (size_t)(area->left - o->rect.left)) * 4,
           (size_t)width * 4);
  frame->pixels = frame->own;
  frame->width = width;
  frame->height = height;
  frame->stride = width * 4;
  return OD_OK;
}
