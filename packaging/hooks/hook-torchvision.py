"""torchvision's C++ operators (nms, roi_align, the image decoders) are, since 0.2x,
`_C_stable.so` and `image_stable.so` (`.pyd` on Windows), opened with torch.ops.load_library
from the package's folder rather than imported, so the contributed hook's hidden import
`torchvision._C` finds nothing and the bundle failed with "operator torchvision::nms does not
exist". This hook (it replaces the contributed one) collects them into torchvision/; PyInstaller
follows their links to torchvision.libs. Kept from the contributed hook: the sources beside the
compiled modules (torch's and torchvision's code reads them at run time)."""

from PyInstaller.utils.hooks import collect_dynamic_libs

module_collection_mode = "pyz+py"
binaries = collect_dynamic_libs("torchvision", search_patterns=["*.so", "*.so.*", "*.pyd", "*.dll", "*.dylib"])
