<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl" sourcelanguage="nl">
  <context>
    <name>AdminPage</name>
    <message numerus="yes">
      <source>%n zaken</source>
      <translation>
        <numerusform>%n zaak</numerusform>
        <numerusform>%n zaken</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>DesktopApp</name>
    <message numerus="yes">
      <source>Werkbak {team}: %n taken</source>
      <translation>
        <numerusform>Werkbak {team}: %n taak</numerusform>
        <numerusform>Werkbak {team}: %n taken</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Er staan %n nieuwe taken in uw werkbakken.</source>
      <translation>
        <numerusform>Er staat %n nieuwe taak in uw werkbak.</numerusform>
        <numerusform>Er staan %n nieuwe taken in uw werkbakken.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Models</name>
    <message numerus="yes">
      <source>%n dagen</source>
      <translation>
        <numerusform>%n dag</numerusform>
        <numerusform>%n dagen</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n uur</source>
      <translation>
        <numerusform>%n uur</numerusform>
        <numerusform>%n uur</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n min</source>
      <translation>
        <numerusform>%n min</numerusform>
        <numerusform>%n min</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>MyCasesPage</name>
    <message numerus="yes">
      <source>%n zaken gevonden</source>
      <translation>
        <numerusform>%n zaak gevonden</numerusform>
        <numerusform>%n zaken gevonden</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n zaken waarin u zaakcoördinator of zaakondersteuner bent</source>
      <translation>
        <numerusform>%n zaak waarin u zaakcoördinator of zaakondersteuner bent</numerusform>
        <numerusform>%n zaken waarin u zaakcoördinator of zaakondersteuner bent</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>SyncStatusBar</name>
    <message numerus="yes">
      <source>%n wijzigingen wachten op verzending</source>
      <translation>
        <numerusform>%n wijziging wacht op verzending</numerusform>
        <numerusform>%n wijzigingen wachten op verzending</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n wijzigingen niet verwerkt</source>
      <translation>
        <numerusform>%n wijziging niet verwerkt</numerusform>
        <numerusform>%n wijzigingen niet verwerkt</numerusform>
      </translation>
    </message>
  </context>
</TS>
