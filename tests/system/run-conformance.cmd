@echo off
rem Runs hcskit's conformance tests against this host's computecore.dll
rem (README.txt beside this file). Arguments go to hcskit-conformance.exe:
rem   run-conformance.cmd [--documents DIR] [--only NAME]... [--results DIR] [--timeout SECONDS]
"%~dp0hcskit-conformance.exe" %*
exit /b %ERRORLEVEL%
