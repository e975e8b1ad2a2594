"""Synthetic test videos with known ground truth, made from scikit-image's ``astronaut`` photo.

Generators yield RGB uint8 frames; :func:`encode_video` writes them to a file with exact (possibly
non-uniform) presentation timestamps, as browsers do. Everything is generated locally; nothing is
downloaded.

Conventions (same as the library): camera facing the person, image not mirrored, so the person's
right side is at smaller x. ``roll_deg`` positive = head tilted toward the person's right shoulder
(right ear down), which for an image-plane rotation is a counter-clockwise turn of the picture as
seen on screen. ``yaw_deg`` positive = chin toward the person's right shoulder; ``pitch_deg``
positive = chin down.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

#: Face centre (x, y) in pixels of the 512 x 512 astronaut image (middle of Face Mesh's landmarks).
ASTRONAUT_FACE_CENTRE = (225.0, 125.0)


@functools.lru_cache(maxsize=1)
def astronaut() -> np.ndarray:
    """scikit-image's astronaut photo, RGB uint8 (512, 512, 3); read-only."""
    from skimage import data

    image = data.astronaut()
    image.setflags(write=False)
    return image


def encode_video(
    path: str | Path,
    frames: Iterable[np.ndarray],
    *,
    fps: float = 30.0,
    times_s: Sequence[float] | None = None,
    bitrate: int = 1_500_000,
) -> Path:
    """Encode RGB frames to ``path`` (``.webm`` -> VP8 like a browser; ``.mp4`` -> H.264).

    Parameters
    ----------
    frames : iterable of ndarray, uint8 (height, width, 3)
        Even width and height.
    fps : float
        Nominal frame rate; frame k is stamped k / fps unless ``times_s`` is given.
    times_s : sequence of float, optional
        Explicit presentation time of each frame in seconds (millisecond precision), for variable
        frame rate videos.
    """
    path = Path(path)
    codec = "libvpx" if path.suffix == ".webm" else "libx264"
    container = av.open(str(path), "w")
    stream = None
    try:
        for k, rgb in enumerate(frames):
            if stream is None:
                stream = container.add_stream(codec, rate=Fraction(fps).limit_denominator(1000))
                stream.width, stream.height = rgb.shape[1], rgb.shape[0]
                stream.pix_fmt = "yuv420p"
                stream.bit_rate = bitrate
                stream.codec_context.time_base = Fraction(1, 1000)
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
            t = times_s[k] if times_s is not None else k / fps
            frame.pts = int(round(t * 1000))
            frame.time_base = Fraction(1, 1000)
            for packet in stream.encode(frame):
                container.mux(packet)
        if stream is not None:
            for packet in stream.encode():
                container.mux(packet)
    finally:
        container.close()
    return path


def face_view(
    image: np.ndarray,
    *,
    size: tuple[int, int] = (320, 240),
    roll_deg: float = 0.0,
    zoom: float = 1.33,
    shift_px: tuple[float, float] = (0.0, 0.0),
    centre: tuple[float, float] = ASTRONAUT_FACE_CENTRE,
) -> np.ndarray:
    """A ``size`` = (width, height) view of ``image`` centred on the face, rotated in the image plane.

    ``roll_deg`` > 0 tilts the head toward the person's right shoulder (picture turned
    counter-clockwise on screen about the face centre). ``zoom`` scales the image; ``shift_px``
    moves the face in the output, in output pixels.
    """
    width, height = size
    matrix = cv2.getRotationMatrix2D(centre, roll_deg, zoom)
    matrix[0, 2] += width / 2 - centre[0] + shift_px[0]
    matrix[1, 2] += height / 2 - centre[1] + shift_px[1]
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def rolling_face_frames(roll_deg: Sequence[float], *, size: tuple[int, int] = (320, 240)) -> Iterator[np.ndarray]:
    """The astronaut's face rotated in the image plane by ``roll_deg[k]`` in frame k."""
    for angle in roll_deg:
        yield face_view(astronaut(), size=size, roll_deg=float(angle))


def plain_scene_frames(n_frames: int, *, size: tuple[int, int] = (320, 240)) -> Iterator[np.ndarray]:
    """A lit scene without any face: coloured rectangles sliding over a gradient."""
    width, height = size
    gradient = np.linspace(60, 200, width, dtype=np.float32)[None, :, None]
    base = np.broadcast_to(gradient, (height, width, 3)).astype(np.uint8).copy()
    for k in range(n_frames):
        frame = base.copy()
        x = 20 + (3 * k) % (width - 80)
        cv2.rectangle(frame, (x, 40), (x + 60, 120), (200, 60, 40), -1)
        cv2.circle(frame, (width - x, height - 60), 30, (40, 120, 220), -1)
        yield frame


def black_frames(n_frames: int, *, size: tuple[int, int] = (320, 240)) -> Iterator[np.ndarray]:
    """Black frames (a covered lens)."""
    width, height = size
    for _ in range(n_frames):
        yield np.zeros((height, width, 3), dtype=np.uint8)


@functools.lru_cache(maxsize=1)
def astronaut_mesh() -> np.ndarray:
    """Face Mesh landmarks (468, 3) of the astronaut photo in its pixels (z on the x scale)."""
    from mediapipe.python.solutions import face_mesh

    with face_mesh.FaceMesh(static_image_mode=True, refine_landmarks=False, max_num_faces=1) as mesh:
        result = mesh.process(astronaut())
    landmarks = result.multi_face_landmarks[0].landmark
    points = np.array([(p.x * 512, p.y * 512, p.z * 512) for p in landmarks], dtype=np.float64)
    points.setflags(write=False)
    return points


class DepthRenderer:
    """Re-draw the astronaut's face turned in depth, texture-mapped triangle by triangle.

    The face's own Face Mesh is triangulated (Delaunay in the picture), rotated in 3-D about a
    point half a face width behind the face's centre, projected orthographically and painted back
    to front over the photo whose face region was filled in (hair and background stay still).
    """

    def __init__(self) -> None:
        from scipy.spatial import Delaunay

        self.image = astronaut()
        self.points = astronaut_mesh()
        self.triangles = Delaunay(self.points[:, :2]).simplices
        face_width = np.ptp(self.points[:, 0])
        self.pivot = self.points.mean(axis=0) + np.array([0.0, 0.0, 0.5 * face_width])
        hull = cv2.convexHull(self.points[:, :2].astype(np.float32)).astype(np.int32)
        mask = np.zeros(self.image.shape[:2], dtype=np.uint8)
        cv2.fillConvexPoly(mask, hull, 255)
        mask = cv2.dilate(mask, np.ones((7, 7), np.uint8))
        self.background = cv2.inpaint(np.ascontiguousarray(self.image), mask, 9, cv2.INPAINT_TELEA)
        # Orient every triangle so that, in the photo, its normal points at the camera (-z).
        a, b, c = (self.points[self.triangles[:, i]] for i in range(3))
        flip = np.cross(b - a, c - a)[:, 2] > 0
        self.triangles[flip] = self.triangles[flip][:, [0, 2, 1]]

    @staticmethod
    def rotation(yaw_deg: float, pitch_deg: float) -> np.ndarray:
        """Rotation (3, 3) in image axes (x right, y down, z away): yaw about y, then pitch about x."""
        yaw, pitch = np.radians([yaw_deg, pitch_deg])
        r_yaw = np.array([[np.cos(yaw), 0, np.sin(yaw)], [0, 1, 0], [-np.sin(yaw), 0, np.cos(yaw)]])
        r_pitch = np.array([[1, 0, 0], [0, np.cos(pitch), -np.sin(pitch)], [0, np.sin(pitch), np.cos(pitch)]])
        return r_yaw @ r_pitch

    def render(self, yaw_deg: float, pitch_deg: float) -> np.ndarray:
        """The 512 x 512 photo with the face turned by ``yaw_deg`` and ``pitch_deg``."""
        moved = (self.points - self.pivot) @ self.rotation(yaw_deg, pitch_deg).T + self.pivot
        a, b, c = (moved[self.triangles[:, i]] for i in range(3))
        visible = np.cross(b - a, c - a)[:, 2] < 0
        depth = (a[:, 2] + b[:, 2] + c[:, 2]) / 3
        # Rasterise triangle numbers back to front (painter's algorithm), with 1/16-pixel vertices.
        owner = np.full(self.image.shape[:2], -1, dtype=np.int32)
        for t in np.argsort(-depth):
            if visible[t]:
                corners = np.round(moved[self.triangles[t], :2] * 16).astype(np.int32)
                cv2.fillConvexPoly(owner, corners, int(t), lineType=cv2.LINE_8, shift=4)
        # Per visible triangle, the affine map from the drawn position back to the photo.
        to_photo = np.zeros((len(self.triangles), 2, 3), dtype=np.float64)
        drawn = np.concatenate([moved[self.triangles[visible], :2], np.ones((visible.sum(), 3, 1))], axis=2)
        to_photo[visible] = np.linalg.solve(drawn, self.points[self.triangles[visible], :2]).transpose(0, 2, 1)
        ys, xs = np.nonzero(owner >= 0)
        maps = to_photo[owner[ys, xs]] @ np.stack([xs, ys, np.ones_like(xs)]).T[:, :, None].astype(np.float64)
        map_x = np.full(owner.shape, -1.0, dtype=np.float32)
        map_y = np.full(owner.shape, -1.0, dtype=np.float32)
        map_x[ys, xs] = maps[:, 0, 0]
        map_y[ys, xs] = maps[:, 1, 0]
        face = cv2.remap(self.image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        out = self.background.copy()
        out[ys, xs] = face[ys, xs]
        return out


def turning_face_frames(
    yaw_deg: Sequence[float], pitch_deg: Sequence[float], *, size: tuple[int, int] = (320, 240)
) -> Iterator[np.ndarray]:
    """The astronaut's face turned in depth by (``yaw_deg[k]``, ``pitch_deg[k]``) in frame k."""
    renderer = DepthRenderer()
    for yaw, pitch in zip(yaw_deg, pitch_deg, strict=True):
        yield face_view(renderer.render(float(yaw), float(pitch)), size=size)


_CACHE_DIR: Path | None = None


def cached_video(name: str, frames: Callable[[], Iterable[np.ndarray]], **encode_options: object) -> Path:
    """Encode a test video once per test session and return its path.

    Parameters
    ----------
    name : str
        File name, unique per content (its suffix chooses the codec).
    frames : callable
        Returns the frames; only called the first time ``name`` is asked for.
    **encode_options
        Passed to :func:`encode_video`.
    """
    global _CACHE_DIR
    if _CACHE_DIR is None:
        _CACHE_DIR = Path(tempfile.mkdtemp(prefix="torsion-test-videos-"))
        atexit.register(shutil.rmtree, _CACHE_DIR, True)
    path = _CACHE_DIR / name
    if not path.exists():
        partial = path.with_name("partial-" + name)
        encode_video(partial, frames(), **encode_options)
        partial.rename(path)
    return path
