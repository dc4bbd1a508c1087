# Build Loupe's Windows bundle: dist\Loupe\ with the window (Loupe.exe, no console) and the
# command line (loupe-cli.exe, a console program; Windows file names ignore case, so it cannot be
# called loupe.exe next to Loupe.exe).
#
#     powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
#     powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1 -Python .venv\Scripts\python.exe
#
# UNTESTED: written without a Windows machine to run it on (see packaging\README.md). Not signed:
# SmartScreen warns the first time ("More info" > "Run anyway").
param([string]$Python = "python")
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

& $Python packaging\bundle_tools.py --check
if ($LASTEXITCODE -ne 0) {
    Write-Host "Installing the bundle extra (PyInstaller) into this Python"
    & $Python -m pip install --quiet -c constraints.txt -e ".[bundle]"
    if ($LASTEXITCODE -ne 0) { throw "pip install of the bundle extra failed" }
}

& $Python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller packaging\loupe.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

$Size = "{0:N1} GB" -f ((Get-ChildItem dist\Loupe -Recurse | Measure-Object Length -Sum).Sum / 1GB)
Write-Host "Built $Root\dist\Loupe ($Size): Loupe.exe opens the window, loupe-cli.exe is the command line"
