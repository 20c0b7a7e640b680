; Inno Setup 6 script: a Windows installer for the one-folder build of packaging/menscentraal.spec.
; Not built on the Linux build machine; exact steps in packaging/README.md ("Windows").
;
;   iscc /DAppVersion=0.1.0 packaging\windows\menscentraal.iss
;
; Silent, managed install with the organisation file (and its CA) in one go:
;   MensCentraalMobiel-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ORGDIR="\\server\share\menscentraal"
; ORGDIR holds organisation.toml and the CA file it names; both are copied to
; %PROGRAMDATA%\MensCentraal, which the installer makes writable by administrators only.

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z packaging\windows\menscentraal.iss
#endif

#define AppName "MensCentraal Mobiel"
#define Root "..\.."

[Setup]
AppId={{6C0F5E0B-4D0B-4E55-9E39-3B9A7C1D2E4F}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=MensCentraal
DefaultDirName={autopf}\MensCentraal Mobiel
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=MensCentraalMobiel-{#AppVersion}-setup
SetupIconFile={#Root}\build\icons\menscentraal.ico
UninstallDisplayIcon={app}\menscentraal.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Dirs]
; The organisation file's folder: read for users, written by administrators only (no inherited
; "Users may create files" from ProgramData), so a user cannot loosen the policy.
Name: "{commonappdata}\MensCentraal"; Permissions: admins-full system-full users-readexec

[Files]
; The whole PyInstaller folder; the old version's files go first (see [InstallDelete]).
Source: "{#Root}\dist\menscentraal\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; Optional: the organisation file and its CA from /ORGDIR=... (external: read at install time).
Source: "{param:ORGDIR|none}\organisation.toml"; DestDir: "{commonappdata}\MensCentraal"; Flags: external skipifsourcedoesntexist ignoreversion
Source: "{param:ORGDIR|none}\*.pem"; DestDir: "{commonappdata}\MensCentraal"; Flags: external skipifsourcedoesntexist ignoreversion

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Registry]
; Task links in the mails (menscentraal://taak/ID) open the app, which hands them to a running one.
Root: HKA; Subkey: "Software\Classes\menscentraal"; ValueType: string; ValueName: ""; ValueData: "URL:MensCentraal Mobiel"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\menscentraal"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\menscentraal\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\menscentraal.exe,0"
Root: HKA; Subkey: "Software\Classes\menscentraal\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\menscentraal.exe"" ""%1"""

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\menscentraal.exe"; WorkingDir: "{app}"

[Run]
; IT's check after installing, also in silent mode: the log shows OK or which part is broken.
Filename: "{app}\menscentraal-cli.exe"; Parameters: "--self-test"; Flags: runhidden waituntilterminated; StatusMsg: "Zelftest..."
Filename: "{app}\menscentraal.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; User profiles (%LOCALAPPDATA%\MensCentraal Mobiel) stay: wipe them with "menscentraal-cli wipe".
Type: dirifempty; Name: "{app}"
