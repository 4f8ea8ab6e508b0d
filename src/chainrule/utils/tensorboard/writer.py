"""torch.utils.tensorboard.SummaryWriter: scalars, histograms, text and hyperparameters into
event files TensorBoard reads (``tensorboard --logdir runs``)."""

from __future__ import annotations

import os
import socket
import time
from datetime import datetime
from typing import Any

import numpy as np

from ...tensor_numpy import values_of

from . import images, summaries
from .records import EventFileWriter, event, field_varint


class SummaryWriter:
    """Writes to ``log_dir`` (default ``runs/<Mon><dd>_<HH-MM-SS>_<host><comment>``, torch's).

    >>> import tempfile, chainrule as cr
    >>> from chainrule.utils.tensorboard import SummaryWriter
    >>> with SummaryWriter(tempfile.mkdtemp()) as writer:
    ...     writer.add_scalar("loss", 0.5, global_step=1)
    """

    def __init__(
        self,
        log_dir: str | None = None,
        comment: str = "",
        purge_step: int | None = None,
        max_queue: int = 10,
        flush_secs: int = 120,
        filename_suffix: str = "",
    ) -> None:
        if not log_dir:
            stamp = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = os.path.join("runs", stamp + "_" + socket.gethostname() + comment)
        self.log_dir, self.purge_step = str(log_dir), purge_step
        self.max_queue, self.flush_secs, self.filename_suffix = (
            max_queue,
            flush_secs,
            filename_suffix,
        )
        self.file_writer: EventFileWriter | None = None
        self.all_writers: dict[str, EventFileWriter] | None = None
        self._get_file_writer()
        self.default_bins = summaries.default_bins()

    def _get_file_writer(self) -> EventFileWriter:
        """The writer of ``log_dir``; made again after ``close``, as torch does."""
        if self.file_writer is None or self.all_writers is None:
            self.file_writer = EventFileWriter(
                self.log_dir, self.max_queue, self.flush_secs, self.filename_suffix
            )
            self.all_writers = {self.log_dir: self.file_writer}
            if self.purge_step is not None:
                # SessionLog(status=START) at purge_step: TensorBoard drops later-stepped data
                step = self.purge_step
                self.file_writer.add_event(event(time.time(), step, file_version=b"brain.Event:2"))
                self.file_writer.add_event(event(time.time(), step, session_log=field_varint(1, 1)))
                self.purge_step = None
        return self.file_writer

    def get_logdir(self) -> str:
        return self.log_dir

    def _add(self, summary: bytes, step: int | None, walltime: float | None) -> None:
        self._get_file_writer().add_event(
            event(time.time() if walltime is None else walltime, step, summary=summary)
        )

    def add_scalar(
        self,
        tag: str,
        scalar_value: Any,
        global_step: int | None = None,
        walltime: float | None = None,
        new_style: bool = False,
        double_precision: bool = False,
    ) -> None:
        """One point of the curve ``tag``; a float, a 0-d Tensor or a one-element array."""
        value = summaries.as_number("add_scalar", scalar_value)
        self._add(summaries.scalar(tag, value), global_step, walltime)

    def add_scalars(
        self,
        main_tag: str,
        tag_scalar_dict: dict[str, Any],
        global_step: int | None = None,
        walltime: float | None = None,
    ) -> None:
        """Several curves on one chart: each goes to its own run ``<log_dir>/<main_tag>_<tag>``
        under the tag ``main_tag``, as torch lays them out."""
        walltime = time.time() if walltime is None else walltime
        self._get_file_writer()
        writers = self.all_writers
        for tag, value in tag_scalar_dict.items():
            run = self.log_dir + "/" + main_tag.replace("/", "_") + "_" + tag
            if run not in writers:
                writers[run] = EventFileWriter(
                    run, self.max_queue, self.flush_secs, self.filename_suffix
                )
            number = summaries.as_number("add_scalars", value)
            writers[run].add_event(
                event(walltime, global_step, summary=summaries.scalar(main_tag, number))
            )

    def add_histogram(
        self,
        tag: str,
        values: Any,
        global_step: int | None = None,
        bins: Any = "tensorflow",
        walltime: float | None = None,
        max_bins: int | None = None,
    ) -> None:
        """The distribution of ``values``; ``bins`` as np.histogram takes it, or 'tensorflow'
        (torch's default: limits growing by 10% each side of zero)."""
        array = values_of(values)
        if isinstance(bins, str) and bins == "tensorflow":
            bins = self.default_bins
        self._add(summaries.histogram(tag, array, bins, max_bins), global_step, walltime)

    def add_image(
        self,
        tag: str,
        img_tensor: Any,
        global_step: int | None = None,
        walltime: float | None = None,
        dataformats: str = "CHW",
    ) -> None:
        """One image; floats are read as 0-1 and uint8 as 0-255, as torch reads them."""
        summary = images.image_summary(tag, img_tensor, dataformats, "add_image")
        self._add(summary, global_step, walltime)

    def add_images(
        self,
        tag: str,
        img_tensor: Any,
        global_step: int | None = None,
        walltime: float | None = None,
        dataformats: str = "NCHW",
    ) -> None:
        """A batch of images, shown as one grid of up to 8 columns (torch's layout)."""
        summary = images.image_summary(tag, img_tensor, dataformats, "add_images")
        self._add(summary, global_step, walltime)

    def add_figure(
        self,
        tag: str,
        figure: Any,
        global_step: int | None = None,
        close: bool = True,
        walltime: float | None = None,
    ) -> None:
        """A matplotlib figure (or a list of them, as a grid), drawn to pixels."""
        if isinstance(figure, list):
            pixels = np.stack([images.figure_chw(f, close) for f in figure])
            self.add_images(tag, pixels, global_step, walltime, dataformats="NCHW")
        else:
            pixels = images.figure_chw(figure, close)
            self.add_image(tag, pixels, global_step, walltime, dataformats="CHW")

    def add_text(
        self,
        tag: str,
        text_string: str,
        global_step: int | None = None,
        walltime: float | None = None,
    ) -> None:
        self._add(summaries.text(tag, text_string), global_step, walltime)

    def add_hparams(
        self,
        hparam_dict: dict,
        metric_dict: dict,
        hparam_domain_discrete: dict | None = None,
        run_name: str | None = None,
        global_step: int | None = None,
    ) -> None:
        """One row of TensorBoard's HPARAMS table, in the run ``<log_dir>/<run_name>`` (default
        the time), with each metric logged there as a scalar."""
        if type(hparam_dict) is not dict or type(metric_dict) is not dict:
            raise summaries.ArgumentTypeError(
                summaries.message(
                    "add_hparams",
                    "hparam_dict and metric_dict as dicts",
                    f"{type(hparam_dict).__name__} and {type(metric_dict).__name__}",
                )
            )
        parts = summaries.hparams(hparam_dict, metric_dict, hparam_domain_discrete)
        with SummaryWriter(os.path.join(self.log_dir, run_name or str(time.time()))) as run:
            for summary in parts:
                run._add(summary, global_step, None)
            for key, value in metric_dict.items():
                run.add_scalar(key, value, global_step)

    def flush(self) -> None:
        for writer in (self.all_writers or {}).values():
            writer.flush()

    def close(self) -> None:
        for writer in (self.all_writers or {}).values():
            writer.close()
        self.file_writer = self.all_writers = None

    def __enter__(self) -> SummaryWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
