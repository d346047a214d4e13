"""Reports of a reanalysis: a terminal summary, self-contained HTML, Markdown, figures.

The HTML file embeds its figures as PNG data and its styles inline: it needs no
network, fonts, scripts or other files, and prints cleanly. Every report shows the
data and where it came from (dataset, source URLs, which sample sizes were published
and which assumed), the methods with references, the verdict tables, the figures, and
a footer saying how to reproduce it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from surveykit.exceptions import SurveyKitError
from surveykit.plotting import describe_figure
from surveykit.report.atomic import publish, staging_folder
from surveykit.report.blocks import report_blocks
from surveykit.report.figures import png_bytes
from surveykit.report.html import render_html
from surveykit.report.markdown import render_markdown

__all__ = ["REPORT_FILES", "check_out_dir", "write_report"]

#: the files a report writes into its folder (besides one PNG per figure)
REPORT_FILES = (
    "report.html",
    "report.md",
    "intervals.csv",
    "changes.csv",
    "gaps.csv",
    "critical.csv",
)


def check_out_dir(out_dir: str | Path) -> Path:
    """The output folder, if it is or can become a folder; else ``FileExistsError``.

    Parameters
    ----------
    out_dir : str or Path
        The folder a report is to be written into; it need not exist yet.

    Returns
    -------
    Path
        ``out_dir`` as a Path (nothing is created).

    Raises
    ------
    FileExistsError
        If ``out_dir`` or one of its parents is an existing file, so that the folder
        can never be made (the command line reports it as an error of ``--out``).

    See Also
    --------
    write_report : writes the report into the folder.

    References
    ----------
    .. [1] Python Software Foundation. pathlib: Object-oriented filesystem paths.
       https://docs.python.org/3/library/pathlib.html

    Examples
    --------
    A report of the leaked Kremlin poll goes into a new folder beside an existing file:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from surveykit.report import check_out_dir
    >>> folder = Path(tempfile.mkdtemp())
    >>> check_out_dir(folder / "fso-report") == folder / "fso-report"
    True
    >>> _ = (folder / "notes.txt").write_text("Levada, November 2022")
    >>> check_out_dir(folder / "notes.txt" / "fso-report")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileExistsError: --out ... cannot be a folder: ... is a file
    """
    if not str(out_dir).strip():
        raise SurveyKitError(
            f"out_dir must name a folder, got {str(out_dir)!r}; for example "
            "out_dir='surveykit-report' (a report never writes into the current folder "
            "unasked)"
        )
    out = Path(out_dir)
    for place in (out, *out.parents):
        if place.exists() and not place.is_dir():
            raise FileExistsError(
                f"--out {str(out)!r} cannot be a folder: {str(place)!r} is a file"
            )
    return out


def write_report(
    analyses: Any,
    out_dir: str | Path = "surveykit-report",
    *,
    force: bool = False,
    command: str | None = None,
    title: str | None = None,
) -> dict[str, Path]:
    """Write a report into ``out_dir``: HTML, Markdown, PNG figures and CSV tables.

    Parameters
    ----------
    analyses : Reanalysis, result, DataFrame, list or dict
        What to report: one analysis, a list of them, or a dict mapping section titles
        to analyses. A :class:`~surveykit.Reanalysis` gives verdicts, critical sample
        sizes, interval and comparison tables, figures, provenance and methods; a result
        object or frame gives its table and, where it has one, its plot.
    out_dir : path, default 'surveykit-report'
    force : bool, default False
        Replace report files that already exist. Without it the call refuses
        (``FileExistsError``) before writing anything, leaving every file as it was.
        Other files in the folder are never touched.
    command : str, optional
        How the report was made, for the reproducibility footer.
    title : str, optional

    Returns
    -------
    dict
        Maps each file's role (``'html'``, ``'markdown'``, ``'figure:<name>'``,
        ``'table:<name>'``) to its path.

    Raises
    ------
    FileExistsError
        If any of the report's files already exists in ``out_dir`` and ``force`` is
        False (nothing is written), or if ``out_dir`` or one of its parents is an
        existing file (:func:`check_out_dir`).
    SurveyKitError
        If ``out_dir`` is blank (a report never writes into the current folder
        unasked), or ``analyses`` is an empty list or dict or holds something other
        than a :class:`~surveykit.Reanalysis`, a surveykit result or a DataFrame.

    See Also
    --------
    surveykit.report.check_out_dir : the check of the folder, made first.
    surveykit.report.render_html : the HTML page written.
    surveykit.report.render_markdown : the Markdown file written.
    surveykit.report.build_figures : the figures of a reanalysis, written as PNG.
    surveykit.reanalyse : the reanalysis most reports are of.

    References
    ----------
    .. [1] AAPOR (2021). AAPOR Code of Professional Ethics and Practices, section III.A
       (the items of disclosure the report's provenance section shows).
    .. [2] American Association for Public Opinion Research. AAPOR Transparency
       Initiative (the disclosure elements its members commit to publish).
    .. [3] Gebru, T., Morgenstern, J., Vecchione, B., Vaughan, J. W., Wallach, H.,
       Daumé III, H. and Crawford, K. (2021). Datasheets for datasets. Communications
       of the ACM 64(12), 86-92 (the dataset's datasheet, printed in the report).
    .. [4] Peng, R. D. (2011). Reproducible research in computational science. Science
       334(6060), 1226-1227 (the footer: versions and the command that made it).

    Examples
    --------
    >>> import tempfile
    >>> import surveykit as sk
    >>> from surveykit.report import write_report
    >>> result = sk.reanalyse(sk.load_dataset(), n=[400, 1600], deff=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_report(result, folder)
    ...     sorted(p.name for p in paths.values())[:3]
    ['changes.csv', 'critical.csv', 'gaps.csv']

    A second report of the leaked Kremlin poll into the same folder is refused unless
    asked to replace the first:

    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = write_report(result, folder)
    ...     try:
    ...         write_report(result, folder, title="again")
    ...     except FileExistsError as error:
    ...         print(str(error).split(":")[0])
    ...     second = write_report(result, folder, force=True, title="again")
    ...     "<h1>again</h1>" in second["html"].read_text(encoding="utf-8")
    refusing to overwrite 9 existing file(s)
    True
    """
    out = check_out_dir(out_dir)
    _, _, figures, tables = report_blocks(analyses)
    targets = {
        "html": out / "report.html",
        "markdown": out / "report.md",
        **{f"figure:{k}": out / f"{k}.png" for k in figures},
        **{f"table:{k}": out / f"{k}.csv" for k in tables},
    }
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        shown = ", ".join(existing[:4]) + (" …" if len(existing) > 4 else "")
        raise FileExistsError(
            f"refusing to overwrite {len(existing)} existing file(s): {shown}; "
            "pass --force (force=True) to replace them, or choose another --out folder"
        )
    pngs = {k: png_bytes(f) for k, f in figures.items()}
    files = {k: targets[f"figure:{k}"].name for k in pngs}
    alts = {k: describe_figure(f) for k, f in figures.items()}
    html_text = render_html(analyses, pngs, command=command, title=title, alt_texts=alts)
    markdown_text = render_markdown(analyses, files, command=command, title=title)
    # every file is written into a staging folder beside the target and published in one
    # step (SIGINT/SIGTERM held while the finished files move): whole or not at all
    with staging_folder(out) as stage:
        for key, data in pngs.items():
            (stage / targets[f"figure:{key}"].name).write_bytes(data)
        (stage / targets["html"].name).write_text(html_text, encoding="utf-8")
        (stage / targets["markdown"].name).write_text(markdown_text, encoding="utf-8")
        for key, frame in tables.items():
            frame.to_csv(stage / targets[f"table:{key}"].name, index=False)
        publish(stage, out, [p.name for p in targets.values()])
    return targets
