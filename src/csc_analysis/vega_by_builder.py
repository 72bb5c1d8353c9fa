"""Who compiles a chart's Vega for JupyterLab: the kernel that draws it, or the pack builder that ran the page.

Opened in JupyterLab, a notebook's `charts.Figure` compiles its Vega-Lite spec to the Vega that JupyterLab draws
offline (vl-convert). A page run by the pack builder leaves that to the builder (`exports.with_vega`), which compiles
every chart of the executed notebook in its own process, where vl-convert's JavaScript engine is already running
for the pack's pages: no kernel then holds an engine of its own (about 64 MiB each, issue #18). The executed
notebook is the same either way. The builder switches this on in each kernel it starts (`kernels.Kernel`), before
the first page; nothing else should. Kept in a module of its own so that switching it imports nothing.
"""

ON = False
