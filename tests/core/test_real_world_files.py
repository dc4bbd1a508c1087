"""Files from the real world that other readers open: the kinds the public test corpora of Pillow
and pydicom hold and Loupe used to refuse, generated here, each decoded to the same pixels as
the reference reader (pydicom, Pillow or tifffile) gives."""

import subprocess
import sys

import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.pixels import apply_color_lut
from pydicom.uid import JPEG2000Lossless, JPEGLosslessSV1, JPEGLSLossless, RLELossless

from app.core.imaging import decode, probe
from tests import synthetic

CT = (np.linspace(0, 3000, 40 * 32).reshape(40, 32) + np.random.default_rng(0).integers(0, 50, (40, 32))).astype(
    np.uint16
)


def test_a_dicom_whose_preamble_is_a_tiff_header_is_read_as_dicom(tmp_path):
    path = synthetic.write_dicom_with_tiff_preamble(tmp_path / "dual.dcm", CT)
    assert path.read_bytes()[:4] == b"II*\x00"
    decoded = decode(path)
    assert decoded.info.format == "dicom"
    assert np.array_equal(decoded.samples, pydicom.dcmread(path).pixel_array)


@pytest.mark.parametrize("syntax", [JPEGLSLossless, JPEG2000Lossless, RLELossless], ids=lambda s: s.name)
def test_compressed_dicom_decodes_out_of_the_box(tmp_path, syntax):
    path = synthetic.write_compressed_dicom(tmp_path / "c.dcm", CT, syntax)
    assert pydicom.dcmread(path).file_meta.TransferSyntaxUID == syntax
    decoded = decode(path)
    assert np.array_equal(decoded.samples, CT)  # lossless: the very samples that were stored


def test_the_jpeg_lossless_codec_a_pacs_export_needs_is_installed():
    """Process 14 (the most common lossless PACS export): pydicom has no encoder to make a test
    file, but its decoder must be there, which pylibjpeg-libjpeg provides."""
    from pydicom.pixels import get_decoder

    assert get_decoder(JPEGLosslessSV1).is_available


def test_a_palette_dicom_shows_its_colours(tmp_path):
    indices = np.tile(np.arange(32, dtype=np.uint8) * 8, (24, 1))
    lut = np.stack([np.arange(256) * 257, np.zeros(256), (255 - np.arange(256)) * 257], axis=1).astype(np.uint16)
    path = synthetic.write_palette_dicom(tmp_path / "palette.dcm", indices, lut)
    dataset = pydicom.dcmread(path)
    reference = (apply_color_lut(dataset.pixel_array, dataset) >> 8).astype(np.uint8)
    decoded = decode(path)
    assert decoded.info.mode == "palette"
    assert np.array_equal(np.asarray(decoded.rgb), reference)


def bits(height=20, width=30):
    data = np.zeros((height, width), bool)
    data[5:12, 3:20] = True
    data[::7, ::5] = True
    return data


@pytest.mark.parametrize("compression", [None, "group3", "group4"])
def test_bilevel_tiffs_decode_as_pillow_reads_them(tmp_path, compression):
    path = tmp_path / "fax.tif"
    Image.fromarray(bits()).convert("1").save(path, "TIFF", **({"compression": compression} if compression else {}))
    decoded = decode(path)
    assert decoded.info.bit_depth == 1
    assert np.array_equal(np.asarray(decoded.rgb), np.asarray(Image.open(path).convert("RGB")))


def test_a_bilevel_tiff_that_means_white_as_zero(tmp_path):
    path = synthetic.write_tiff(tmp_path / "scan.tif", bits())  # tifffile writes MINISWHITE
    decoded = decode(path)
    assert np.array_equal(np.asarray(decoded.rgb), np.asarray(Image.open(path).convert("RGB")))


def test_palette_tiffs_show_their_colours(tmp_path):
    one_bit = synthetic.write_palette_tiff_1bit(tmp_path / "p1.tif", bits(), red=(65535, 0), blue=(0, 65535))
    eight_bit = tmp_path / "p8.tif"
    palette = Image.fromarray(np.tile(np.arange(30, dtype=np.uint8), (20, 1)), "P")
    palette.putpalette([v for i in range(256) for v in (i, 255 - i, (i * 7) % 256)])
    palette.save(eight_bit, "TIFF")
    for path in (one_bit, eight_bit):
        decoded = decode(path)
        assert decoded.info.mode == "palette"
        assert np.array_equal(np.asarray(decoded.rgb), np.asarray(Image.open(path).convert("RGB"))), path.name


def test_a_windows_dib_is_an_image(tmp_path):
    path = tmp_path / "clipboard.dib"
    synthetic.random_rgb(24, 16).save(path, "DIB")
    assert probe(path).format == "dib"
    reference = Image.open(path, formats=["DIB"]).convert("RGB")
    assert np.array_equal(np.asarray(decode(path).rgb), np.asarray(reference))


def test_library_warnings_go_to_the_log_not_the_terminal(tmp_path):
    """The command line sends what tifffile, pydicom and Pillow log (and Python warnings) to
    Loupe's log file."""
    script = (
        "import logging, warnings, sys; from app.cli import main\n"
        f"assert main(['new', {str(tmp_path / 'p')!r}]) == 0\n"
        "logging.getLogger('tifffile').warning('TiffPage 0: a corrupt tag that tifffile reports')\n"
        "warnings.warn('a library warning')\n"
    )
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    log = (tmp_path / "data" / "loupe" / "loupe-cli.log").read_text()
    assert "a corrupt tag that tifffile reports" in log and "a library warning" in log
