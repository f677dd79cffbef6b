@echo off
rem Install or upgrade the school diagnostics app from this folder, without internet (Windows).
rem The work is done by install.py with the newest Python 3.11 or later found.
chcp 65001 >nul
cd /d "%~dp0"
for %%V in (3.13 3.12 3.11) do (
    py -%%V -c "import sys" >nul 2>&1 && (
        py -%%V install.py %*
        goto done
    )
)
python -c "import sys; sys.exit(sys.version_info < (3, 11))" >nul 2>&1 && (
    python install.py %*
    goto done
)
echo Python 3.11 немесе жаңарағы табылмады. Алдымен Python-ды орнатыңыз (python.org, "Add python.exe to PATH" белгісімен), содан кейін осы файлды қайта іске қосыңыз.
echo Не найден Python 3.11 или новее. Сначала установите Python (python.org, с отметкой "Add python.exe to PATH"), затем снова запустите этот файл.
:done
pause
