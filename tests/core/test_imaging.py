"""The one decoder: every format a user has, windowing that never clips silently, clear reasons."""

import time

import numpy as np
import pytest
from PIL import Image

from app.core.errors import ImageError
from app.core.imaging import DecodeOptions, Window, decode, probe, thumbnail_jpeg
from tests import synthetic


def mean_colour(image: Image.Image, box) -> np.ndarray:
    return np.asarray(image.crop(box)).reshape(-1, 3).mean(axis=0)


# -- common formats -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, suffix", [("jpeg", ".jpg"), ("png", ".png"), ("bmp", ".bmp"), ("webp", ".webp")])
def test_common_formats_decode_to_rgb_with_their_size(tmp_path, fmt, suffix):
    image = synthetic.two_colour_rgb(40, 20)
    path = (
        synthetic.save(image, tmp_path / f"a{suffix}", quality=95)
        if fmt != "bmp"
        else synthetic.save(image, tmp_path / "a.bmp")
    )
    decoded = decode(path)
    assert decoded.info.format == fmt
    assert (decoded.info.width, decoded.info.height) == (40, 20)
    assert decoded.rgb.mode == "RGB" and decoded.rgb.size == (40, 20)
    left, right = mean_colour(decoded.rgb, (2, 2, 16, 18)), mean_colour(decoded.rgb, (24, 2, 38, 18))
    assert left[0] > 200 and left[2] < 60  # red stays red
    assert right[2] > 200 and right[0] < 60  # blue stays blue
    assert decoded.samples is None  # 8-bit data needs no re-windowing


def test_type_comes_from_content_not_extension(tmp_path):
    path = synthetic.save(synthetic.random_rgb(), tmp_path / "really-a-png.jpg", "PNG")
    assert decode(path).info.format == "png"
    text = tmp_path / "not-an-image.png"
    text.write_text("hello")
    with pytest.raises(ImageError, match="not an image format"):
        decode(text)


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    cmyk = Image.new("CMYK", (32, 32), (0, 255, 255, 0))  # pure red in CMYK
    path = synthetic.save(cmyk, tmp_path / "cmyk.jpg", quality=95)
    decoded = decode(path)
    assert decoded.info.mode == "cmyk" and decoded.info.bands == 4
    r, g, b = mean_colour(decoded.rgb, (0, 0, 32, 32))
    assert r > 200 and g < 60 and b < 60


def test_exif_orientation_is_applied(tmp_path):
    image = synthetic.two_colour_rgb(40, 20)  # stored: red left, blue right
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    path = synthetic.save(image, tmp_path / "rotated.jpg", quality=95, exif=exif.tobytes())
    decoded = decode(path)
    assert decoded.rgb.size == (20, 40)
    assert (decoded.info.width, decoded.info.height) == (20, 40)
    top, bottom = mean_colour(decoded.rgb, (2, 2, 18, 16)), mean_colour(decoded.rgb, (2, 24, 18, 38))
    assert top[0] > 200 and bottom[2] > 200  # the left (red) half is now on top


def test_palette_png_with_transparency_and_rgba_show_on_white(tmp_path):
    rgba = Image.new("RGBA", (16, 16), (255, 0, 0, 0))  # fully transparent red
    decoded = decode(synthetic.save(rgba, tmp_path / "alpha.png"))
    assert decoded.info.mode == "rgba"
    assert mean_colour(decoded.rgb, (0, 0, 16, 16)).min() > 250  # white, not red, not black

    palette = Image.new("P", (16, 16), 1)
    palette.putpalette([0, 0, 0, 0, 255, 0] + [0] * 762)
    decoded = decode(synthetic.save(palette, tmp_path / "palette.png"))
    assert decoded.info.mode == "palette"
    r, g, b = mean_colour(decoded.rgb, (0, 0, 16, 16))
    assert g > 250 and r < 5 and b < 5
    palette.info["transparency"] = 1
    decoded = decode(synthetic.save(palette, tmp_path / "palette-transparent.png", transparency=1))
    assert mean_colour(decoded.rgb, (0, 0, 16, 16)).min() > 250


def test_gif_first_frame(tmp_path):
    frames = [Image.new("RGB", (16, 16), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    decoded = decode(path)
    assert decoded.info.format == "gif" and decoded.info.frames == 2
    r, _, b = mean_colour(decoded.rgb, (0, 0, 16, 16))
    assert r > 200 and b < 60


# -- high bit depth: windowed, never clipped -----------------------------------------------


def test_16bit_png_is_windowed_not_clipped(tmp_path):
    ramp = synthetic.gradient(256, 8, 1000, 3000, np.uint16)
    path = tmp_path / "ramp16.png"
    Image.fromarray(ramp).save(path)  # mode I;16
    decoded = decode(path)
    assert decoded.info.bit_depth == 16
    grey = np.asarray(decoded.rgb)[:, :, 0]
    # Pillow's own convert("L") would make all of this white (every value > 255).
    assert grey.min() < 10 and grey.max() > 245
    assert len(np.unique(grey)) > 200  # the ramp keeps its detail
    assert decoded.samples is not None and decoded.samples.max() == 3000
    assert decoded.window is not None and 1000 <= decoded.window.low < decoded.window.high <= 3000


def test_explicit_window_is_used(tmp_path):
    ramp = synthetic.gradient(256, 4, 0, 4000, np.uint16)
    path = tmp_path / "ramp16.tif"
    synthetic.write_tiff(path, ramp)
    decoded = decode(path, DecodeOptions(window=Window(centre=1000, width=200)))
    grey = np.asarray(decoded.rgb)[0, :, 0]
    values = ramp[0]
    assert (grey[values <= 900] == 0).all() and (grey[values >= 1100] == 255).all()
    inside = (values > 920) & (values < 1080)
    assert ((grey[inside] > 0) & (grey[inside] < 255)).all()


def test_16bit_and_float_tiff(tmp_path):
    decoded = decode(synthetic.write_tiff(tmp_path / "u16.tif", synthetic.gradient(128, 8, 0, 60000, np.uint16)))
    assert (decoded.info.format, decoded.info.bit_depth, decoded.info.bands) == ("tiff", 16, 1)
    grey = np.asarray(decoded.rgb)[:, :, 0]
    assert grey[:, 0].max() < 10 and grey[:, -1].min() > 245

    floats = synthetic.gradient(128, 8, -1.5, 2.5, np.float32)
    floats[0, 0] = np.nan
    decoded = decode(synthetic.write_tiff(tmp_path / "f32.tif", floats))
    assert decoded.info.bit_depth == 32 and decoded.samples.dtype == np.float32
    grey = np.asarray(decoded.rgb)[:, :, 0]
    assert grey[0, 0] == 0  # NaN shows black, and does not poison the window
    assert grey[1:, -1].min() > 245 and grey[1:, 1].max() < 10


def test_multipage_tiff_uses_first_page(tmp_path):
    pages = np.stack([np.full((16, 16), value, np.uint8) for value in (30, 200, 120)])
    path = synthetic.write_tiff(tmp_path / "stack.tif", pages, photometric="minisblack")
    decoded = decode(path)
    assert decoded.info.frames == 3
    assert np.asarray(decoded.rgb).max() == 30


def multiband(bands: int = 6, size: int = 30) -> np.ndarray:
    """H×W×bands uint16: band k is bright only in its own vertical stripe."""
    data = np.full((size, size * bands, bands), 100, np.uint16)
    for k in range(bands):
        data[:, k * size : (k + 1) * size, k] = 4000 + k
    return data[:, :, :]


@pytest.mark.parametrize("planar", ["contig", "separate"])
def test_multiband_tiff_composes_chosen_bands(tmp_path, planar):
    data = multiband()
    stored = data if planar == "contig" else np.moveaxis(data, -1, 0)
    path = synthetic.write_tiff(tmp_path / f"sat-{planar}.tif", stored, photometric="minisblack", planarconfig=planar)
    info = probe(path)
    assert (info.bands, info.mode, info.width, info.height) == (6, "multiband", 180, 30)

    decoded = decode(path, DecodeOptions(bands=(5, 3, 1)))
    assert decoded.bands_shown == (5, 3, 1)
    rgb = np.asarray(decoded.rgb)
    stripe = lambda k: rgb[:, k * 30 + 5 : (k + 1) * 30 - 5].reshape(-1, 3).mean(axis=0)  # noqa: E731
    assert stripe(5)[0] > 200 and stripe(5)[1:].max() < 50  # band 6 -> red
    assert stripe(3)[1] > 200 and stripe(3)[[0, 2]].max() < 50  # band 4 -> green
    assert stripe(1)[2] > 200 and stripe(1)[:2].max() < 50  # band 2 -> blue
    assert stripe(0).max() < 50  # band 1 not shown

    default = decode(path)
    assert default.bands_shown == (0, 1, 2)
    with pytest.raises(ImageError, match="band 8 does not exist"):
        decode(path, DecodeOptions(bands=(7, 0, 1)))


# -- DICOM --------------------------------------------------------------------------------


def ct_slice() -> np.ndarray:
    """Stored values for HU -1000 (air), 40 (soft tissue), 1000 (bone) with intercept -1024."""
    hu = np.zeros((30, 90), np.int32)
    hu[:, :30], hu[:, 30:60], hu[:, 60:] = -1000, 40, 1000
    return (hu + 1024).astype(np.uint16)


def test_dicom_applies_rescale_and_window(tmp_path):
    path = synthetic.write_dicom(tmp_path / "ct.dcm", ct_slice(), slope=1, intercept=-1024, window=(40, 400))
    decoded = decode(path)
    assert decoded.info.format == "dicom" and decoded.info.bit_depth == 16
    assert decoded.window == Window(40, 400)
    assert decoded.samples.min() == -1000  # rescaled to Hounsfield units
    grey = np.asarray(decoded.rgb)[:, :, 0]
    assert grey[:, :30].max() == 0  # air: black
    assert 120 <= grey[:, 30:60].mean() <= 135  # soft tissue at the window centre: mid grey
    assert grey[:, 60:].min() == 255  # bone: white


def test_dicom_monochrome1_is_inverted_and_auto_windowed_without_tags(tmp_path):
    path = synthetic.write_dicom(tmp_path / "cr.dcm", ct_slice(), photometric="MONOCHROME1")
    decoded = decode(path)
    assert decoded.invert
    grey = np.asarray(decoded.rgb)[:, :, 0]
    assert grey[:, :30].min() > 245 and grey[:, 60:].max() < 10  # low values show white


def test_dicom_that_no_codec_decodes_names_its_compression(tmp_path):
    path = synthetic.write_undecodable_dicom(tmp_path / "video.dcm")
    assert probe(path).format == "dicom"  # the header is fine
    with pytest.raises(ImageError, match="transfer syntax 'MPEG2 Main Profile / Main Level' cannot be decoded"):
        decode(path)


def test_dicom_without_preamble_is_recognised(tmp_path):
    path = synthetic.write_dicom(tmp_path / "ct.dcm", ct_slice(), slope=1, intercept=-1024)
    # Strip the 128-byte preamble, "DICM" and the file meta group: a bare dataset.
    import pydicom

    ds = pydicom.dcmread(path)
    ds.preamble = None
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    bare = tmp_path / "bare"
    ds.save_as(bare, enforce_file_format=False, implicit_vr=False, little_endian=True)
    assert bare.read_bytes()[:2] == b"\x08\x00"  # starts right at the first element
    decoded = decode(bare)
    assert decoded.info.format == "dicom" and decoded.samples.min() == -1000


# -- refusals and reasons ----------------------------------------------------------------


def test_decompression_bomb_refused_from_header_quickly(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(synthetic.png_bomb_header(60000, 60000))
    started = time.perf_counter()
    with pytest.raises(ImageError, match="decompression bomb"):
        decode(path)
    with pytest.raises(ImageError, match="60000×60000"):
        probe(path)
    assert time.perf_counter() - started < 1.0


def test_dicom_bomb_refused_from_header(tmp_path):
    path = synthetic.write_dicom(tmp_path / "huge.dcm", np.zeros((4, 4), np.uint16))
    import pydicom

    ds = pydicom.dcmread(path)
    ds.Rows = ds.Columns = 65535
    ds.save_as(path, enforce_file_format=True)
    with pytest.raises(ImageError, match="decompression bomb"):
        decode(path)


def test_truncated_jpeg_gives_a_reason(tmp_path):
    data = synthetic.jpeg_bytes(synthetic.random_rgb(200, 200), quality=90)
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageError, match="truncated or corrupt"):
        decode(path)


@pytest.mark.parametrize(
    "content, reason", [(b"", "empty"), (b"BM\x00\x00", "not an image format"), (None, "not found")]
)
def test_bad_files_give_short_specific_reasons(tmp_path, content, reason):
    path = tmp_path / "x.bmp"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImageError, match=reason):
        decode(path)


def test_decode_accepts_bytes_and_thumbnail_fits(tmp_path):
    data = synthetic.jpeg_bytes(synthetic.random_rgb(800, 400))
    decoded = decode(data, DecodeOptions(draft_size=256))
    assert (decoded.info.width, decoded.info.height) == (800, 400)  # header size, not draft size
    assert max(decoded.rgb.size) < 800  # decoded at reduced scale
    thumb = Image.open(__import__("io").BytesIO(thumbnail_jpeg(decoded.rgb, 256)))
    assert thumb.format == "JPEG" and max(thumb.size) == 256


def test_a_large_png_is_probed_from_its_header_and_decoded_small_for_a_thumbnail(tmp_path):
    from app.core.imaging.budget import DECODE_BUDGET

    info = probe(synthetic.png_bomb_header(15000, 13000))  # 195 MP, no pixel data: the header is enough
    assert (info.width, info.height) == (15000, 13000)
    side = 5000
    path = tmp_path / "scan.png"
    Image.fromarray(np.tile((np.arange(side) % 256).astype(np.uint8), (side, 1))).save(path)
    decoded = decode(path, DecodeOptions(draft_size=256))
    assert decoded.info.width == side and max(decoded.rgb.size) <= 4 * 256  # reduced right after decoding
    assert DECODE_BUDGET.used == 0  # the decode gave its pixels back


def test_large_decodes_wait_for_their_share_of_the_pixel_budget():
    import threading

    from app.core.imaging.budget import PixelBudget

    budget = PixelBudget(limit=300_000_000)
    inside, order = threading.Event(), []

    def first():
        with budget.decoding():
            budget.claim(200_000_000)
            order.append("first in")
            inside.set()
            release.wait(5)
            order.append("first out")

    def second():
        inside.wait(5)
        with budget.decoding():
            budget.claim(200_000_000)  # 400 MP > 300 MP: waits for the first
            order.append("second in")

    release = threading.Event()
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(5)
    threads[1].join(0.3)
    assert order == ["first in"] and threads[1].is_alive()
    release.set()
    for thread in threads:
        thread.join(5)
    assert order == ["first in", "first out", "second in"] and budget.used == 0
    with budget.decoding():
        budget.claim(1_000)  # small images never wait nor count
        assert budget.used == 0
