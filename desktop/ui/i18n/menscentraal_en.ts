<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="nl">
  <context>
    <name>AboutDialog</name>
    <message>
      <location filename="../about.py" line="36" />
      <source>Over {product}</source>
      <translation>About {product}</translation>
    </message>
    <message>
      <location filename="../about.py" line="44" />
      <source>Versie {version}</source>
      <translation>Version {version}</translation>
    </message>
    <message>
      <location filename="../about.py" line="66" />
      <source>Organisatie: {name}</source>
      <translation>Organisation: {name}</translation>
    </message>
    <message>
      <location filename="../about.py" line="67" />
      <source>Vragen? Stel ze eerst aan de superuser van uw team; daarna:</source>
      <translation>Questions? Ask your team's superuser first; then:</translation>
    </message>
    <message>
      <location filename="../about.py" line="20" />
      <source>Lokaal beheerder</source>
      <translation>Local administrator</translation>
    </message>
    <message>
      <location filename="../about.py" line="21" />
      <source>Helpdesk</source>
      <translation>Helpdesk</translation>
    </message>
    <message>
      <location filename="../about.py" line="75" />
      <source>Vraag de superuser van uw team wie uw lokaal beheerder is.</source>
      <translation>Ask your team's superuser who your local administrator is.</translation>
    </message>
  </context>
  <context>
    <name>AdminPage</name>
    <message>
      <location filename="../admin.py" line="111" />
      <source>Beheer</source>
      <translation>Administration</translation>
    </message>
    <message>
      <location filename="../admin.py" line="111" />
      <source>Voor lokaal beheerders en de helpdesk.</source>
      <translation>For local administrators and the helpdesk.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="120" />
      <location filename="../admin.py" line="127" />
      <source>Geblokkeerde accounts</source>
      <translation>Locked accounts</translation>
    </message>
    <message>
      <location filename="../admin.py" line="120" />
      <location filename="../admin.py" line="131" />
      <source>Apparaten</source>
      <translation>Devices</translation>
    </message>
    <message>
      <location filename="../admin.py" line="121" />
      <location filename="../admin.py" line="134" />
      <source>Groepen</source>
      <translation>Groups</translation>
    </message>
    <message>
      <location filename="../admin.py" line="125" />
      <source>Heractiveren</source>
      <translation>Reactivate</translation>
    </message>
    <message>
      <location filename="../admin.py" line="126" />
      <source>Accounts die zijn geblokkeerd na meer dan 10 mislukte aanmeldingen.</source>
      <translation>Accounts locked after more than 10 failed logins.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="128" />
      <source>Aanmeldcodes</source>
      <translation>Enrolment codes</translation>
    </message>
    <message>
      <location filename="../admin.py" line="129" />
      <source>Intrekken</source>
      <translation>Revoke</translation>
    </message>
    <message>
      <location filename="../admin.py" line="130" />
      <source>Een ingetrokken apparaat wist zijn gegevens bij de volgende verbinding.</source>
      <translation>A revoked device wipes its data at its next connection.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="132" />
      <source>Groep verwijderen…</source>
      <translation>Delete group…</translation>
    </message>
    <message>
      <location filename="../admin.py" line="133" />
      <source>Een groep wordt pas verwijderd nadat haar zaken en gegevens naar een andere groep zijn overgezet.</source>
      <translation>A group is only deleted after its cases and data have been moved to another group.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="142" />
      <source>Vernieuwen</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <location filename="../admin.py" line="155" />
      <source>Maak een eenmalige code waarmee een medewerker een apparaat aanmeldt voor Mobiel Werken.</source>
      <translation>Create a one-time code with which an employee enrols a device for Mobiel Werken.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="158" />
      <source>Gebruikersnaam</source>
      <translation>Username</translation>
    </message>
    <message>
      <location filename="../admin.py" line="159" />
      <source>Gebruikersnaam voor de aanmeldcode</source>
      <translation>Username for the enrolment code</translation>
    </message>
    <message>
      <location filename="../admin.py" line="160" />
      <source>Code aanmaken</source>
      <translation>Create code</translation>
    </message>
    <message>
      <location filename="../admin.py" line="176" />
      <source>Dat is niet gelukt; probeer het opnieuw.</source>
      <translation>That did not work; please try again.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="189" />
      <source>ingetrokken</source>
      <translation>revoked</translation>
    </message>
    <message>
      <location filename="../admin.py" line="189" />
      <source>actief</source>
      <translation>active</translation>
    </message>
    <message>
      <location filename="../admin.py" line="190" />
      <source>geldig tot {date}</source>
      <translation>valid until {date}</translation>
    </message>
    <message numerus="yes">
      <source>%n zaken</source>
      <translation>
        <numerusform>%n case</numerusform>
        <numerusform>%n cases</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../admin.py" line="211" />
      <source>Het account is weer actief.</source>
      <translation>The account is active again.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="218" />
      <source>Code: &lt;b&gt;{code}&lt;/b&gt; — geldig tot {until}</source>
      <translation>Code: &lt;b&gt;{code}&lt;/b&gt; — valid until {until}</translation>
    </message>
    <message>
      <location filename="../admin.py" line="226" />
      <source>Apparaat intrekken?</source>
      <translation>Revoke device?</translation>
    </message>
    <message>
      <location filename="../admin.py" line="227" />
      <source>Het apparaat kan daarna niet meer verbinden en wist zijn gegevens. Doorgaan?</source>
      <translation>The device can then no longer connect and wipes its data. Continue?</translation>
    </message>
    <message>
      <location filename="../admin.py" line="230" />
      <source>Het apparaat is ingetrokken.</source>
      <translation>The device has been revoked.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="0" />
      <source>Er zijn geen geblokkeerde accounts.</source>
      <translation>There are no locked accounts.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="0" />
      <source>Er zijn geen apparaten aangemeld.</source>
      <translation>No devices are enrolled.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="0" />
      <source>Er zijn geen groepen.</source>
      <translation>There are no groups.</translation>
    </message>
  </context>
  <context>
    <name>CaseView</name>
    <message>
        <source>{old} is dan geen zaakcoördinator meer, kan de zaak niet meer bewerken en ziet haar niet meer onder Mijn zaken.</source>
        <translation>{old} is then no longer the coordinator, can no longer edit the case and no longer sees it under My cases.</translation>
    </message>
    <message>
        <source>Uw wijzigingen aan deze zaak worden nu verstuurd.</source>
        <translation>Your changes to this case are being sent now.</translation>
    </message>
    <message>
        <source>Uw wijzigingen aan deze zaak zijn op dit apparaat bewaard en worden verstuurd zodra er verbinding is.</source>
        <translation>Your changes to this case are kept on this device and will be sent as soon as there is a connection.</translation>
    </message>
    <message>
        <source>U bent geen zaakcoördinator of zaakondersteuner meer van deze zaak; ze staat niet meer onder Mijn zaken.</source>
        <translation>You are no longer the coordinator or a supporter of this case; it is no longer under My cases.</translation>
    </message>
    <message>
        <source>{written} (offline geschreven, ontvangen {received})</source>
        <translation>{written} (written offline, received {received})</translation>
    </message>
    <message>
        <source>Alleen de zaakcoördinator en de zaakondersteuners van een zaak kunnen de zaakcoördinator wijzigen en zaakondersteuners toevoegen of verwijderen. Een zaak heeft altijd precies één zaakcoördinator.</source>
        <translation>Only the coordinator and the supporters of a case can change the coordinator and add or remove supporters. A case always has exactly one coordinator.</translation>
    </message>
    <message>
        <source>Zaakondersteuner verwijderen</source>
        <translation>Remove case supporter</translation>
    </message>
    <message>
        <source>{name} verwijderen als zaakondersteuner van zaak {number}?</source>
        <translation>Remove {name} as a supporter of case {number}?</translation>
    </message>
    <message>
        <source>{name} kan de zaak dan niet meer bewerken en ziet haar niet meer onder Mijn zaken. Een zaakcoördinator of zaakondersteuner kan {name} later weer toevoegen.</source>
        <translation>{name} can then no longer edit the case and no longer sees it under My cases. A coordinator or supporter can add {name} again later.</translation>
    </message>
    <message>
        <source>Verwijderen</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Een zaakondersteuner kan de zaak bewerken en ziet haar onder Mijn zaken.</source>
        <translation>A case supporter can edit the case and sees it under My cases.</translation>
    </message>
    <message>
        <source>Toevoegen</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>{new} wordt zaakcoördinator: de zaak komt op naam van {new}. {old} is dan geen zaakcoördinator meer, kan de zaak niet meer bewerken en ziet haar niet meer onder Mijn zaken. Wie nu zaakondersteuner is, blijft dat.</source>
        <translation>{new} becomes the case coordinator: the case is put in {new}&apos;s name. {old} is then no longer the coordinator, can no longer edit the case and no longer sees it under My cases. Current supporters stay supporters.</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="222" />
      <source>← Terug naar de lijst</source>
      <translation>← Back to the list</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="246" />
      <source>Zaakstappen</source>
      <translation>Case steps</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="248" />
      <source>Journaal</source>
      <translation>Journal</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="253" />
      <source>Nieuwe aantekening…</source>
      <translation>New note…</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="254" />
      <source>Nieuwe aantekening</source>
      <translation>New note</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="258" />
      <source>Aantekening toevoegen</source>
      <translation>Add note</translation>
    </message>
    <message>
      <location filename="../case_cards.py" line="165" />
      <source>Aantekening toegevoegd</source>
      <translation>Note added</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="264" />
      <source>Betrokkenen</source>
      <translation>People involved</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="268" />
      <location filename="../case_view.py" line="512" />
      <source>Zaakondersteuner toevoegen</source>
      <translation>Add case supporter</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="271" />
      <source>Zaakcoördinator vervangen (beheer)…</source>
      <translation>Replace case coordinator (administration)…</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="277" />
      <source>Taken</source>
      <translation>Tasks</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="280" />
      <source>Taak aanmaken…</source>
      <translation>Create task…</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="285" />
      <source>Zaak</source>
      <translation>Case</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="286" />
      <source>Zaak afsluiten…</source>
      <translation>Close case…</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="289" />
      <source>Zaak verwijderen</source>
      <translation>Delete case</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="292" />
      <source>Een zaak kan niet worden verwijderd, zodat er geen dossiers verloren gaan. Is de zaak per vergissing aangemaakt? Sluit haar dan af met het resultaat 'Administratieve fout'.</source>
      <translation>A case cannot be deleted, so that no files are lost. Was the case created by mistake? Then close it with the outcome 'Administrative error'.</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="305" />
      <source>Open</source>
      <translation>Open</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="305" />
      <source>Afgesloten ({outcome})</source>
      <translation>Closed ({outcome})</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="307" />
      <source>Zaak {number}</source>
      <translation>Case {number}</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="312" />
      <source>Uw wijzigingen aan deze zaak worden verstuurd bij de volgende synchronisatie.</source>
      <translation>Your changes to this case are sent at the next synchronisation.</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="323" />
      <source>Nog geen aantekeningen.</source>
      <translation>No notes yet.</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="348" />
      <source>Taak {name} doorsturen</source>
      <translation>Forward task {name}</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="349" />
      <source>Doorsturen naar een collega of team</source>
      <translation>Forward to a colleague or team</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="354" />
      <source>Geen open taken.</source>
      <translation>No open tasks.</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="361" />
      <source>In de werkbak van {team}</source>
      <translation>In the work queue of {team}</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="363" />
      <source>Afgerond</source>
      <translation>Completed</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="364" />
      <source>Bij {name}</source>
      <translation>With {name}</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="384" />
      <source>Afgesloten stap {name} inzien</source>
      <translation>View closed step {name}</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="385" />
      <source>Inzien (alleen lezen)</source>
      <translation>View (read-only)</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="390" />
      <source>Stap afronden</source>
      <translation>Complete step</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="391" />
      <source>Stap {name} afronden</source>
      <translation>Complete step {name}</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="420" />
      <location filename="../case_view.py" line="421" />
      <location filename="../case_view.py" line="519" />
      <source>Zaakcoördinator wijzigen</source>
      <translation>Change case coordinator</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="425" />
      <source>{name} verwijderen als zaakondersteuner</source>
      <translation>Remove {name} as case supporter</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="426" />
      <source>Verwijderen als zaakondersteuner</source>
      <translation>Remove as case supporter</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="454" />
      <source>Stap afronden: {name}</source>
      <translation>Complete step: {name}</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="457" />
      <source>Samenvatting van deze stap</source>
      <translation>Summary of this step</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="458" />
      <source>Samenvatting</source>
      <translation>Summary</translation>
    </message>
  </context>
  <context>
    <name>CloseCaseDialog</name>
    <message>
      <location filename="../case_view.py" line="78" />
      <location filename="../case_view.py" line="88" />
      <source>Zaak afsluiten</source>
      <translation>Close case</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="80" />
      <source>Kies het resultaat. Een zaak die per vergissing is aangemaakt sluit u af met 'Administratieve fout'; een afgesloten zaak kan niet worden heropend.</source>
      <translation>Choose the outcome. Close a case created by mistake with 'Administrative error'; a closed case cannot be reopened.</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="83" />
      <source>Resultaat</source>
      <translation>Outcome</translation>
    </message>
  </context>
  <context>
    <name>ClosedStepDialog</name>
    <message>
      <location filename="../case_view.py" line="54" />
      <source>Afgesloten stap: {name}</source>
      <translation>Closed step: {name}</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="57" />
      <source>Stap</source>
      <translation>Step</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="58" />
      <source>Afgesloten op</source>
      <translation>Closed on</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="60" />
      <source>Afgesloten door</source>
      <translation>Closed by</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="64" />
      <source>Samenvatting (alleen lezen)</source>
      <translation>Summary (read-only)</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="66" />
      <source>Afgesloten stappen kunt u alleen inzien, niet wijzigen.</source>
      <translation>Closed steps can be viewed, not changed.</translation>
    </message>
  </context>
  <context>
    <name>ColleagueDialog</name>
    <message>
      <location filename="../case_view.py" line="103" />
      <source>Collega</source>
      <translation>Colleague</translation>
    </message>
  </context>
  <context>
    <name>DesktopApp</name>
    <message>
      <source>, waarvan {new} nieuw sinds u het laatst keek</source>
      <translation>, {new} of them new since you last looked</translation>
    </message>
    <message numerus="yes">
      <source>Werkbak {team}: %n taken</source>
      <translation>
        <numerusform>Work queue {team}: %n task</numerusform>
        <numerusform>Work queue {team}: %n tasks</numerusform>
      </translation>
    </message>
    <message>
        <source>De dienst is weer bereikbaar. Voer uw wachtwoord in om verbinding te maken.</source>
        <translation>The service can be reached again. Enter your password to connect.</translation>
    </message>
    <message>
        <source>De dienst is weer bereikbaar: kies Nu synchroniseren (F5) en voer uw wachtwoord in om uw wijzigingen te versturen.</source>
        <translation>The service can be reached again: choose Synchronise now (F5) and enter your password to send your changes.</translation>
    </message>
    <message>
      <location filename="../app.py" line="119" />
      <source>Minstens 12 tekens</source>
      <translation>At least 12 characters</translation>
    </message>
    <message>
      <location filename="../app.py" line="120" />
      <source>Geen veelgebruikt wachtwoord (de dienst controleert dit bij opslaan)</source>
      <translation>Not a common password (the service checks this when saving)</translation>
    </message>
    <message>
      <location filename="../app.py" line="272" />
      <source>Dit apparaat is aangemeld voor deze gebruiker.</source>
      <translation>This device is enrolled for this user.</translation>
    </message>
    <message>
      <location filename="../app.py" line="307" />
      <source>Mijn zaken</source>
      <translation>My cases</translation>
    </message>
    <message>
      <location filename="../app.py" line="310" />
      <location filename="../app.py" line="433" />
      <source>Werkbak</source>
      <translation>Work queue</translation>
    </message>
    <message>
      <location filename="../app.py" line="313" />
      <source>Mijn taken</source>
      <translation>My tasks</translation>
    </message>
    <message>
      <location filename="../app.py" line="322" />
      <source>Zoeken</source>
      <translation>Search</translation>
    </message>
    <message>
      <location filename="../app.py" line="326" />
      <source>Beheer</source>
      <translation>Administration</translation>
    </message>
    <message>
      <location filename="../app.py" line="428" />
      <source>MensCentraal Mobiel</source>
      <translation>MensCentraal Mobiel</translation>
    </message>
    <message numerus="yes">
      <source>Er staan %n nieuwe taken in uw werkbakken.</source>
      <translation>
        <numerusform>There is %n new task in your work queue.</numerusform>
        <numerusform>There are %n new tasks in your work queues.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../app.py" line="443" />
      <location filename="../app.py" line="445" />
      <source>{name} had deze taak al opgepakt; hij is uit uw lijst gehaald.</source>
      <translation>{name} had already picked up this task; it was removed from your list.</translation>
    </message>
    <message>
      <location filename="../app.py" line="505" />
      <source>U bent geen zaakcoördinator of zaakondersteuner van deze zaak: u kunt alleen de afgesloten stappen inzien.</source>
      <translation>You are not the coordinator or a supporter of this case: you can only view the closed steps.</translation>
    </message>
    <message>
      <location filename="../app.py" line="525" />
      <source>Diagnose van de verbinding</source>
      <translation>Connection diagnosis</translation>
    </message>
    <message>
      <location filename="../app.py" line="539" />
      <source>Help</source>
      <translation>Help</translation>
    </message>
    <message>
      <location filename="../app.py" line="539" />
      <source>Vragen? Stel ze eerst aan de superuser van uw team. Lukt het niet, neem dan contact op met:</source>
      <translation>Questions? Ask your team's superuser first. If that does not help, contact:</translation>
    </message>
    <message>
      <location filename="../app.py" line="559" />
      <source>Het wachtwoord klopt niet; probeer het opnieuw.</source>
      <translation>The password is not correct; please try again.</translation>
    </message>
  </context>
  <context>
    <name>DiagnosisPanel</name>
    <message>
        <source>De dienst is hier niet bereikbaar. Meestal ontbreekt dan een beveiligde verbinding: Gemnet, een aangemelde werkplek of Mobiel Werken.</source>
        <translation>The service cannot be reached from here. Usually a secure connection is missing: Gemnet, a registered workplace or Mobiel Werken.</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="38" />
      <source>Diagnose van de verbinding</source>
      <translation>Connection diagnosis</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="46" />
      <source>Beveiligde verbinding</source>
      <translation>Secure connection</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="52" />
      <source>Controles</source>
      <translation>Checks</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="58" />
      <source>Kopieer voor de helpdesk</source>
      <translation>Copy for the helpdesk</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="60" />
      <source>Opnieuw controleren</source>
      <translation>Check again</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="69" />
      <source>Gemnet (het gemeentelijke netwerk)</source>
      <translation>Gemnet (the municipal network)</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="70" />
      <source>Een werkplek waarvan het IP-adres is aangemeld</source>
      <translation>A workplace whose IP address is registered</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="71" />
      <source>Mobiel Werken (dit apparaat, met apparaatcertificaat)</source>
      <translation>Mobiel Werken (this device, with a device certificate)</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="83" />
      <source>De verbinding met de dienst werkt.</source>
      <translation>The connection to the service works.</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="85" />
      <source>Er is hier geen beveiligde verbinding met MensCentraal.</source>
      <translation>There is no secure connection to MensCentraal here.</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="87" />
      <source>De verbinding met de dienst werkt niet; hieronder staat wat u kunt doen.</source>
      <translation>The connection to the service does not work; below is what you can do.</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="95" />
      <source>aanwezig</source>
      <translation>present</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="95" />
      <source>ontbreekt</source>
      <translation>missing</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="128" />
      <source>in orde</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="131" />
      <source>probleem</source>
      <translation>problem</translation>
    </message>
    <message>
      <location filename="../diagnosis.py" line="134" />
      <source>niet gecontroleerd</source>
      <translation>not checked</translation>
    </message>
  </context>
  <context>
    <name>EnrollmentWindow</name>
    <message>
      <location filename="../enrollment.py" line="35" />
      <source>Apparaat aanmelden — MensCentraal Mobiel</source>
      <translation>Enrol device — MensCentraal Mobiel</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="47" />
      <source>Dit apparaat aanmelden</source>
      <translation>Enrol this device</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="54" />
      <source>Met Mobiel Werken maakt dit apparaat een beveiligde verbinding met MensCentraal, ook buiten Gemnet. U hebt een eenmalige aanmeldcode nodig van uw lokaal beheerder.</source>
      <translation>With Mobiel Werken this device makes a secure connection to MensCentraal, also outside Gemnet. You need a one-time enrolment code from your local administrator.</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="67" />
      <source>Adres van de dienst</source>
      <translation>Service address</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="69" />
      <source>Certificaat van uw organisatie (CA-bestand)</source>
      <translation>Your organisation's certificate (CA file)</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="70" />
      <source>Kies…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="77" />
      <source>Ingesteld door uw organisatie</source>
      <translation>Set by your organisation</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="82" />
      <location filename="../enrollment.py" line="89" />
      <source>Gebruikersnaam</source>
      <translation>Username</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="83" />
      <source>Uw wachtwoord</source>
      <translation>Your password</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="83" />
      <location filename="../enrollment.py" line="90" />
      <source>Wachtwoord</source>
      <translation>Password</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="85" />
      <source>Eenmalige aanmeldcode</source>
      <translation>One-time enrolment code</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="86" />
      <source>Code van uw lokaal beheerder</source>
      <translation>Code from your local administrator</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="87" />
      <source>Dienst</source>
      <translation>Service</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="88" />
      <source>CA-bestand</source>
      <translation>CA file</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="91" />
      <source>Aanmeldcode</source>
      <translation>Enrolment code</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="96" />
      <source>Apparaat aanmelden</source>
      <translation>Enrol device</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="108" />
      <source>CA-bestand kiezen</source>
      <translation>Choose CA file</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="108" />
      <source>Certificaten (*.pem *.crt);;Alle bestanden (*)</source>
      <translation>Certificates (*.pem *.crt);;All files (*)</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="120" />
      <source>Vul alle velden in; de aanmeldcode krijgt u van uw lokaal beheerder.</source>
      <translation>Fill in every field; you get the enrolment code from your local administrator.</translation>
    </message>
    <message>
      <location filename="../enrollment.py" line="126" />
      <source>Het CA-bestand is niet te lezen; kies het bestand dat u van uw lokaal beheerder kreeg.</source>
      <translation>The CA file cannot be read; choose the file you received from your local administrator.</translation>
    </message>
  </context>
  <context>
    <name>Failures</name>
    <message>
      <location filename="../failures.py" line="40" />
      <source>MensCentraal Mobiel</source>
      <translation>MensCentraal Mobiel</translation>
    </message>
    <message>
      <location filename="../failures.py" line="48" />
      <source>Er ging iets mis in het programma. Kopieer de details en stuur ze naar de helpdesk.</source>
      <translation>Something went wrong in the program. Copy the details and send them to the helpdesk.</translation>
    </message>
    <message>
      <location filename="../failures.py" line="50" />
      <source>Details kopiëren</source>
      <translation>Copy details</translation>
    </message>
  </context>
  <context>
    <name>ForwardDialog</name>
    <message>
      <source>Naar een collega</source>
      <translation>To a colleague</translation>
    </message>
    <message>
      <source>Naar de werkbak van een team</source>
      <translation>To a team&apos;s work queue</translation>
    </message>
    <message>
      <source>Zoek een collega op naam</source>
      <translation>Find a colleague by name</translation>
    </message>
    <message>
      <source>Zoek een collega</source>
      <translation>Find a colleague</translation>
    </message>
    <message>
      <source>Collega&apos;s, wie u onlangs iets stuurde eerst</source>
      <translation>Colleagues, those you recently sent something to first</translation>
    </message>
    <message>
      <source>Werkbakken waar deze taak heen mag</source>
      <translation>Work queues this task may go to</translation>
    </message>
    <message>
      <source>Geen andere werkbak behandelt dit zaaktype; stuur de taak naar een collega.</source>
      <translation>No other work queue handles this case type; send the task to a colleague.</translation>
    </message>
    <message>
      <source>&amp;Bericht bij de taak (niet verplicht)</source>
      <translation>&amp;Message with the task (optional)</translation>
    </message>
    <message>
      <source>Bijvoorbeeld waarom u hem doorstuurt, of wat al gedaan is.</source>
      <translation>For example why you forward it, or what has been done.</translation>
    </message>
    <message>
      <source>Bericht bij de taak</source>
      <translation>Message with the task</translation>
    </message>
    <message>
      <source>Annuleren</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>{used} van {most} tekens</source>
      <translation>{used} of {most} characters</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="35" />
      <source>Taak doorsturen</source>
      <translation>Forward task</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="37" />
      <source>Stuur de taak naar een collega, of naar de werkbak van een team als nog niet bekend is wie haar oppakt.</source>
      <translation>Send the task to a colleague, or to a team's work queue if it is not yet known who will pick it up.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="40" />
      <source>Doorsturen naar</source>
      <translation>Forward to</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="42" />
      <source>Werkbak {team}</source>
      <translation>Work queue {team}</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="47" />
      <source>Doorsturen</source>
      <translation>Forward</translation>
    </message>
  </context>
  <context>
    <name>GroupDeleteWizard</name>
    <message>
      <location filename="../admin.py" line="41" />
      <source>Groep verwijderen: {name}</source>
      <translation>Delete group: {name}</translation>
    </message>
    <message>
      <location filename="../admin.py" line="45" />
      <source>Waar moeten de zaken en gegevens heen?</source>
      <translation>Where should the cases and data go?</translation>
    </message>
    <message>
      <location filename="../admin.py" line="48" />
      <source>Een groep wordt pas verwijderd als ze leeg is, zodat er geen dossiers verloren gaan. Kies de groep die de zaken en gegevens overneemt.</source>
      <translation>A group is only deleted once it is empty, so that no files are lost. Choose the group that takes over the cases and data.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="51" />
      <source>Doelgroep</source>
      <translation>Target group</translation>
    </message>
    <message>
      <location filename="../admin.py" line="57" />
      <location filename="../admin.py" line="66" />
      <source>Overzetten en verwijderen</source>
      <translation>Move and delete</translation>
    </message>
    <message>
      <location filename="../admin.py" line="71" />
      <source>Alle zaken en gegevens van '{group}' gaan naar '{target}'. Daarna wordt '{group}' verwijderd.</source>
      <translation>All cases and data of '{group}' move to '{target}'. Then '{group}' is deleted.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="90" />
      <source>De gegevens zijn overgezet en de groep is verwijderd.</source>
      <translation>The data was moved and the group deleted.</translation>
    </message>
    <message>
      <location filename="../admin.py" line="93" />
      <source>Sluiten</source>
      <translation>Close</translation>
    </message>
    <message>
      <location filename="../admin.py" line="98" />
      <source>Verwijderen is niet gelukt; er is niets verwijderd.</source>
      <translation>Deleting did not work; nothing was deleted.</translation>
    </message>
  </context>
  <context>
    <name>Labels</name>
    <message>
      <location filename="../labels.py" line="12" />
      <source>Alleen de zaakcoördinator of een zaakondersteuner kan dit doen.</source>
      <translation>Only the case coordinator or a case supporter can do this.</translation>
    </message>
    <message>
      <location filename="../labels.py" line="13" />
      <source>De zaak is afgesloten.</source>
      <translation>The case is closed.</translation>
    </message>
    <message>
      <location filename="../labels.py" line="14" />
      <source>U bent niet geautoriseerd voor dit zaaktype.</source>
      <translation>You are not authorised for this case type.</translation>
    </message>
    <message>
      <location filename="../labels.py" line="15" />
      <source>Een zaak kan niet worden verwijderd; sluit een per vergissing aangemaakte zaak af met de reden 'administratieve fout'.</source>
      <translation>A case cannot be deleted; close a case created by mistake with the reason 'administrative error'.</translation>
    </message>
    <message>
      <location filename="../labels.py" line="20" />
      <source>Een collega heeft deze taak al opgepakt.</source>
      <translation>A colleague has already picked up this task.</translation>
    </message>
    <message>
      <location filename="../labels.py" line="21" />
      <source>Alleen wie de taak heeft opgepakt kan dit doen.</source>
      <translation>Only the person who picked up the task can do this.</translation>
    </message>
    <message>
      <location filename="../labels.py" line="22" />
      <source>De taak staat niet (meer) in de werkbak.</source>
      <translation>The task is not (or no longer) in the work queue.</translation>
    </message>
    <message>
      <location filename="../labels.py" line="23" />
      <source>De taak is al afgerond.</source>
      <translation>The task is already completed.</translation>
    </message>
    <message>
      <location filename="../labels.py" line="24" />
      <source>Alleen de lokaal beheerder of de helpdesk kan dit doen.</source>
      <translation>Only the local administrator or the helpdesk can do this.</translation>
    </message>
    <message>
      <location filename="../labels.py" line="28" />
      <source>Medewerker</source>
      <translation>Employee</translation>
    </message>
    <message>
      <location filename="../labels.py" line="29" />
      <source>Superuser</source>
      <translation>Superuser</translation>
    </message>
    <message>
      <location filename="../labels.py" line="30" />
      <source>Lokaal beheerder</source>
      <translation>Local administrator</translation>
    </message>
    <message>
      <location filename="../labels.py" line="31" />
      <source>Helpdesk</source>
      <translation>Helpdesk</translation>
    </message>
    <message>
      <location filename="../labels.py" line="36" />
      <source>Zaakcoördinator</source>
      <translation>Case coordinator</translation>
    </message>
    <message>
      <location filename="../labels.py" line="37" />
      <source>Zaakondersteuner</source>
      <translation>Case supporter</translation>
    </message>
    <message>
      <location filename="../labels.py" line="41" />
      <source>Afgerond</source>
      <translation>Completed</translation>
    </message>
    <message>
      <location filename="../labels.py" line="42" />
      <source>Doorverwezen</source>
      <translation>Referred</translation>
    </message>
    <message>
      <location filename="../labels.py" line="43" />
      <source>Ingetrokken</source>
      <translation>Withdrawn</translation>
    </message>
    <message>
      <location filename="../labels.py" line="44" />
      <source>Administratieve fout</source>
      <translation>Administrative error</translation>
    </message>
    <message>
      <location filename="../labels.py" line="57" />
      <source>Dit is nu niet mogelijk.</source>
      <translation>This is not possible now.</translation>
    </message>
  </context>
  <context>
    <name>LockOverlay</name>
    <message>
      <location filename="../autolock.py" line="76" />
      <source>MensCentraal Mobiel is vergrendeld</source>
      <translation>MensCentraal Mobiel is locked</translation>
    </message>
    <message>
      <location filename="../autolock.py" line="80" />
      <source>Voer uw wachtwoord in om verder te werken.</source>
      <translation>Enter your password to continue working.</translation>
    </message>
    <message>
      <location filename="../autolock.py" line="83" />
      <source>Wachtwoord</source>
      <translation>Password</translation>
    </message>
    <message>
      <location filename="../autolock.py" line="83" />
      <source>Wachtwoord om te ontgrendelen</source>
      <translation>Password to unlock</translation>
    </message>
    <message>
      <location filename="../autolock.py" line="91" />
      <source>Ontgrendelen</source>
      <translation>Unlock</translation>
    </message>
    <message>
      <location filename="../autolock.py" line="0" />
      <source>Afmelden</source>
      <translation>Log out</translation>
    </message>
    <message>
      <location filename="../autolock.py" line="0" />
      <source>Afmelden in plaats van ontgrendelen</source>
      <translation>Log out instead of unlocking</translation>
    </message>
  </context>
  <context>
    <name>LoginWindow</name>
    <message>
        <source>De dienst is vanaf hier nu niet bereikbaar. Meestal ontbreekt een beveiligde verbinding (Gemnet, een aangemelde werkplek of Mobiel Werken); de diagnose hieronder zegt wat er mis is.</source>
        <translation>The service cannot be reached from here right now. Usually a secure connection is missing (Gemnet, a registered workplace or Mobiel Werken); the diagnosis below says what is wrong.</translation>
    </message>
    <message>
        <source>U kunt offline werken met de gegevens op dit apparaat.</source>
        <translation>You can work offline with the data on this device.</translation>
    </message>
    <message>
        <source>U bent afgemeld. Uw gegevens blijven versleuteld op dit apparaat.</source>
        <translation>You are logged out. Your data stays encrypted on this device.</translation>
    </message>
    <message>
      <location filename="../login.py" line="45" />
      <source>Lokaal beheerder</source>
      <translation>Local administrator</translation>
    </message>
    <message>
      <location filename="../login.py" line="46" />
      <source>Helpdesk</source>
      <translation>Helpdesk</translation>
    </message>
    <message>
      <location filename="../login.py" line="50" />
      <source>Vraag de superuser van uw team wie uw lokaal beheerder is.</source>
      <translation>Ask your team's superuser who your local administrator is.</translation>
    </message>
    <message>
      <location filename="../login.py" line="64" />
      <source>Wachtwoord tonen</source>
      <translation>Show password</translation>
    </message>
    <message>
      <location filename="../login.py" line="99" />
      <source>controle bij opslaan</source>
      <translation>checked when saving</translation>
    </message>
    <message>
      <location filename="../login.py" line="99" />
      <source>voldaan</source>
      <translation>met</translation>
    </message>
    <message>
      <location filename="../login.py" line="99" />
      <source>nog niet voldaan</source>
      <translation>not met yet</translation>
    </message>
    <message>
      <location filename="../login.py" line="120" />
      <source>Inloggen — MensCentraal Mobiel</source>
      <translation>Log in — MensCentraal Mobiel</translation>
    </message>
    <message>
      <location filename="../login.py" line="138" />
      <source>MensCentraal Mobiel</source>
      <translation>MensCentraal Mobiel</translation>
    </message>
    <message>
      <location filename="../login.py" line="186" />
      <location filename="../login.py" line="199" />
      <source>Inloggen</source>
      <translation>Log in</translation>
    </message>
    <message>
      <location filename="../login.py" line="190" />
      <location filename="../login.py" line="193" />
      <location filename="../login.py" line="230" />
      <location filename="../login.py" line="231" />
      <source>Gebruikersnaam</source>
      <translation>Username</translation>
    </message>
    <message>
      <location filename="../login.py" line="191" />
      <source>bijv. j.devries</source>
      <translation>e.g. j.devries</translation>
    </message>
    <message>
      <location filename="../login.py" line="192" />
      <source>Uw wachtwoord</source>
      <translation>Your password</translation>
    </message>
    <message>
      <location filename="../login.py" line="192" />
      <location filename="../login.py" line="194" />
      <source>Wachtwoord</source>
      <translation>Password</translation>
    </message>
    <message>
      <location filename="../login.py" line="206" />
      <source>Offline werken met de gegevens op dit apparaat</source>
      <translation>Work offline with the data on this device</translation>
    </message>
    <message>
      <location filename="../login.py" line="210" />
      <source>Wachtwoord vergeten?</source>
      <translation>Forgot your password?</translation>
    </message>
    <message>
      <location filename="../login.py" line="212" />
      <source>Gebruikersnaam vergeten of geen e-mail ontvangen?</source>
      <translation>Forgot your username or received no e-mail?</translation>
    </message>
    <message>
      <location filename="../login.py" line="225" />
      <source>Wachtwoord vergeten</source>
      <translation>Forgot password</translation>
    </message>
    <message>
      <location filename="../login.py" line="227" />
      <source>Vul uw gebruikersnaam in. U krijgt een e-mail met een tijdelijk wachtwoord; daarmee logt u in en kiest u meteen een nieuw wachtwoord.</source>
      <translation>Enter your username. You will get an e-mail with a temporary password; log in with it and choose a new password straight away.</translation>
    </message>
    <message>
      <location filename="../login.py" line="238" />
      <source>Terug</source>
      <translation>Back</translation>
    </message>
    <message>
      <location filename="../login.py" line="240" />
      <source>Tijdelijk wachtwoord aanvragen</source>
      <translation>Request a temporary password</translation>
    </message>
    <message>
      <location filename="../login.py" line="255" />
      <source>Gebruikersnaam vergeten of geen e-mail</source>
      <translation>Forgot username or no e-mail</translation>
    </message>
    <message>
      <location filename="../login.py" line="257" />
      <source>Weet u uw gebruikersnaam niet meer, kreeg u geen e-mail met een tijdelijk wachtwoord, of is uw account geblokkeerd na meer dan 10 mislukte pogingen? Dan moet uw account opnieuw worden geactiveerd door uw lokaal beheerder of de helpdesk.</source>
      <translation>Forgot your username, received no e-mail with a temporary password, or is your account locked after more than 10 failed attempts? Then your account must be reactivated by your local administrator or the helpdesk.</translation>
    </message>
    <message>
      <location filename="../login.py" line="264" />
      <source>Terug naar inloggen</source>
      <translation>Back to login</translation>
    </message>
    <message>
      <location filename="../login.py" line="275" />
      <source>Kies uw definitieve wachtwoord</source>
      <translation>Choose your definitive password</translation>
    </message>
    <message>
      <location filename="../login.py" line="276" />
      <source>U bent ingelogd met een tijdelijk wachtwoord. Kies nu een eigen wachtwoord om verder te gaan.</source>
      <translation>You logged in with a temporary password. Choose your own password now to continue.</translation>
    </message>
    <message>
      <location filename="../login.py" line="277" />
      <source>Nieuw wachtwoord</source>
      <translation>New password</translation>
    </message>
    <message>
      <location filename="../login.py" line="278" />
      <source>Herhaal het nieuwe wachtwoord</source>
      <translation>Repeat the new password</translation>
    </message>
    <message>
      <location filename="../login.py" line="286" />
      <source>Wachtwoord opslaan en verder</source>
      <translation>Save password and continue</translation>
    </message>
    <message>
      <location filename="../login.py" line="322" />
      <source>Vul uw gebruikersnaam en wachtwoord in.</source>
      <translation>Enter your username and password.</translation>
    </message>
    <message>
      <location filename="../login.py" line="343" />
      <source>Uw account is geblokkeerd na meer dan 10 mislukte aanmeldingen. Laat het heractiveren door:</source>
      <translation>Your account is locked after more than 10 failed logins. Have it reactivated by:</translation>
    </message>
    <message>
      <location filename="../login.py" line="383" />
      <source>Vul uw wachtwoord in om offline te werken.</source>
      <translation>Enter your password to work offline.</translation>
    </message>
    <message>
      <location filename="../login.py" line="407" />
      <source>Vul uw gebruikersnaam in.</source>
      <translation>Enter your username.</translation>
    </message>
    <message>
      <location filename="../login.py" line="417" />
      <source>Als deze gebruikersnaam bestaat, is er een e-mail met een tijdelijk wachtwoord verstuurd.</source>
      <translation>If this username exists, an e-mail with a temporary password has been sent.</translation>
    </message>
    <message>
      <location filename="../login.py" line="422" />
      <source>Het aanvragen is niet gelukt; probeer het opnieuw.</source>
      <translation>The request did not work; please try again.</translation>
    </message>
    <message>
      <location filename="../login.py" line="428" />
      <source>Beide wachtwoorden zijn gelijk</source>
      <translation>Both passwords match</translation>
    </message>
    <message>
      <location filename="../login.py" line="0" />
      <source>Wachtwoord verbergen</source>
      <translation>Hide password</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../main_window.py" line="135" />
      <location filename="../main_window.py" line="178" />
      <source>MensCentraal Mobiel</source>
      <translation>MensCentraal Mobiel</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="161" />
      <source>Nu synchroniseren</source>
      <translation>Synchronise now</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="188" />
      <location filename="../main_window.py" line="189" />
      <source>Nu synchroniseren (F5)</source>
      <translation>Synchronise now (F5)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="199" />
      <source>Persoonlijk menu van {name}</source>
      <translation>Personal menu of {name}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="200" />
      <source>Persoonlijke instellingen, vergrendelen, afmelden, help en diagnose</source>
      <translation>Personal settings, lock, log out, help and diagnosis</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="209" />
      <source>Meldingen en persoonlijke instellingen</source>
      <translation>Notifications and personal settings</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="211" />
      <source>Vergrendelen</source>
      <translation>Lock</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="216" />
      <source>Help</source>
      <translation>Help</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="220" />
      <source>Verbinding controleren (diagnose)</source>
      <translation>Check the connection (diagnosis)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="222" />
      <source>Over MensCentraal Mobiel</source>
      <translation>About MensCentraal Mobiel</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="224" />
      <source>Taal / Language</source>
      <translation>Taal / Language</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="233" />
      <source>Afmelden</source>
      <translation>Log out</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="248" />
      <source>Navigatie</source>
      <translation>Navigation</translation>
    </message>
  </context>
  <context>
    <name>Models</name>
    <message numerus="yes">
      <source>%n dagen</source>
      <translation>
        <numerusform>%n day</numerusform>
        <numerusform>%n days</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n uur</source>
      <translation>
        <numerusform>%n hour</numerusform>
        <numerusform>%n hours</numerusform>
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
    <name>MyCasesModel</name>
    <message>
      <location filename="../models.py" line="63" />
      <source>Zaaknummer</source>
      <translation>Case number</translation>
    </message>
    <message>
      <location filename="../models.py" line="63" />
      <source>Cliënt / groep</source>
      <translation>Client / group</translation>
    </message>
    <message>
      <location filename="../models.py" line="64" />
      <source>Zaaktype</source>
      <translation>Case type</translation>
    </message>
    <message>
      <location filename="../models.py" line="64" />
      <source>Mijn rol</source>
      <translation>My role</translation>
    </message>
    <message>
      <location filename="../models.py" line="65" />
      <source>Huidige stap</source>
      <translation>Current step</translation>
    </message>
    <message>
      <location filename="../models.py" line="65" />
      <source>Laatste wijziging</source>
      <translation>Last change</translation>
    </message>
    <message>
      <location filename="../models.py" line="117" />
      <source>Afgesloten</source>
      <translation>Closed</translation>
    </message>
    <message>
      <location filename="../models.py" line="121" />
      <source>Deze zaak heeft wijzigingen die nog niet verstuurd zijn.</source>
      <translation>This case has changes that have not been sent yet.</translation>
    </message>
  </context>
  <context>
    <name>MyCasesPage</name>
    <message>
      <location filename="../my_cases.py" line="23" />
      <location filename="../my_cases.py" line="33" />
      <source>Mijn zaken</source>
      <translation>My cases</translation>
    </message>
    <message>
      <location filename="../my_cases.py" line="26" />
      <source>Filter op zaaknummer, naam, zaaktype of stap…</source>
      <translation>Filter by case number, name, case type or step…</translation>
    </message>
    <message>
      <location filename="../my_cases.py" line="27" />
      <source>Filter Mijn zaken</source>
      <translation>Filter My cases</translation>
    </message>
    <message numerus="yes">
      <source>%n zaken gevonden</source>
      <translation>
        <numerusform>%n case found</numerusform>
        <numerusform>%n cases found</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n zaken waarin u zaakcoördinator of zaakondersteuner bent</source>
      <translation>
        <numerusform>%n case in which you are coordinator or supporter</numerusform>
        <numerusform>%n cases in which you are coordinator or supporter</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>NewTaskDialog</name>
    <message>
      <location filename="../case_view.py" line="122" />
      <location filename="../case_view.py" line="147" />
      <source>Taak aanmaken</source>
      <translation>Create task</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="126" />
      <location filename="../case_view.py" line="140" />
      <source>Soort taak</source>
      <translation>Kind of task</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="127" />
      <source>bijv. Uitvoeren medische keuring</source>
      <translation>e.g. Carry out medical examination</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="129" />
      <location filename="../case_view.py" line="141" />
      <source>Omschrijving</source>
      <translation>Description</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="133" />
      <location filename="../case_view.py" line="142" />
      <source>Uiterlijk</source>
      <translation>Due</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="135" />
      <location filename="../case_view.py" line="143" />
      <source>Voor</source>
      <translation>For</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="137" />
      <source>Werkbak {team}</source>
      <translation>Work queue {team}</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="145" />
      <source>Een taak in de werkbak gaat per e-mail naar iedereen in het team; wie tijd heeft pakt hem op.</source>
      <translation>A task in the work queue is e-mailed to everyone in the team; whoever has time picks it up.</translation>
    </message>
  </context>
  <context>
    <name>NotificationSettings</name>
    <message>
      <location filename="../notifications.py" line="31" />
      <source>Meldingen</source>
      <translation>Notifications</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="31" />
      <source>Kies waarover u een e-mail of een melding op dit apparaat krijgt.</source>
      <translation>Choose what you get an e-mail or a notification on this device about.</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="32" />
      <source>E-mail bij een nieuwe taak in de werkbak van</source>
      <translation>E-mail on a new task in the work queue of</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="36" />
      <source>Let op: bespreek het eerst met uw team voordat u deze e-mails uitzet. Volgens de afspraken van uw team kan het nodig zijn dat u ze krijgt, zodat geen actie blijft liggen en de vervolgstap voor een inwoner niet wordt gemist.</source>
      <translation>Note: discuss it with your team before you switch these e-mails off. Your team's agreements may require that you get them, so that no action stays open and a resident's follow-up is not missed.</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="40" />
      <source>E-mail bij</source>
      <translation>E-mail on</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="42" />
      <source>toevoeging aan een zaak als zaakcoördinator of zaakondersteuner</source>
      <translation>being added to a case as coordinator or supporter</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="45" />
      <source>Op dit apparaat</source>
      <translation>On this device</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="48" />
      <source>E-mails bevatten nooit namen of burgerservicenummers, alleen een verwijzing om in het programma te openen.</source>
      <translation>E-mails never contain names or citizen service numbers, only a reference to open in the program.</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="49" />
      <source>Opslaan</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="66" />
      <source>E-mail bij nieuwe taak in werkbak {team}</source>
      <translation>E-mail on a new task in work queue {team}</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="80" />
      <source>E-mail van de werkbak uitzetten?</source>
      <translation>Switch off the work-queue e-mail?</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="83" />
      <source>Toch uitzetten</source>
      <translation>Switch off anyway</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="105" />
      <source>Opgeslagen. De dienst krijgt de wijziging meteen, of zodra er weer verbinding is.</source>
        <translation>Saved. The service gets the change at once, or as soon as there is a connection again.</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="0" />
      <source>een taak die aan u is toegewezen</source>
      <translation>a task assigned to me</translation>
    </message>
    <message>
      <location filename="../notifications.py" line="0" />
      <source>Melding tonen als er nieuwe taken in uw werkbakken komen</source>
      <translation>Show a notification when new tasks arrive in my work queues</translation>
    </message>
  </context>
  <context>
    <name>OfflineBanner</name>
    <message>
      <location filename="../main_window.py" line="47" />
      <source>Offline</source>
      <translation>Offline</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="52" />
      <source>Offline — nog niet gesynchroniseerd. Wijzigingen worden verstuurd zodra er verbinding is.</source>
      <translation>Offline — not synchronised yet. Changes are sent as soon as there is a connection.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="54" />
      <source>Offline — laatst gesynchroniseerd om {time}. Wijzigingen worden verstuurd zodra er verbinding is.</source>
      <translation>Offline — last synchronised at {time}. Changes are sent as soon as there is a connection.</translation>
    </message>
  </context>
  <context>
    <name>PendingChangesDialog</name>
    <message>
        <source>Openen</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Deze zaak staat niet (meer) op dit apparaat.</source>
        <translation>This case is not (or no longer) on this device.</translation>
    </message>
    <message>
        <source>{what} openen</source>
        <translation>Open {what}</translation>
    </message>
    <message>
        <source>Taak {task} · zaak {number}</source>
        <translation>Task {task} · case {number}</translation>
    </message>
    <message>
        <source>Taak {task}</source>
        <translation>Task {task}</translation>
    </message>
    <message>
        <source>Zaak {number}</source>
        <translation>Case {number}</translation>
    </message>
    <message>
        <source>Uw instellingen</source>
        <translation>Your settings</translation>
    </message>
    <message>
        <source>Een zaak of taak die niet meer op dit apparaat staat</source>
        <translation>A case or task no longer on this device</translation>
    </message>
    <message>
        <source>Opnieuw proberen</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Zet deze wijziging terug in de wachtrij; ze wordt opnieuw verstuurd, meteen of zodra er verbinding is.</source>
        <translation>Put this change back in the queue; it is sent again, at once or as soon as there is a connection.</translation>
    </message>
    <message>
        <source>Verwijderen</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Verwijder deze wijziging; ze wordt nooit verstuurd.</source>
        <translation>Remove this change; it will never be sent.</translation>
    </message>
    <message>
      <location filename="../pending.py" line="22" />
      <source>Aantekening toevoegen</source>
      <translation>Add note</translation>
    </message>
    <message>
      <location filename="../pending.py" line="22" />
      <source>Stap afronden</source>
      <translation>Complete step</translation>
    </message>
    <message>
      <location filename="../pending.py" line="22" />
      <source>Zaak afsluiten</source>
      <translation>Close case</translation>
    </message>
    <message>
      <location filename="../pending.py" line="23" />
      <source>Zaakcoördinator wijzigen</source>
      <translation>Change case coordinator</translation>
    </message>
    <message>
      <location filename="../pending.py" line="23" />
      <source>Zaakondersteuner toevoegen</source>
      <translation>Add case supporter</translation>
    </message>
    <message>
      <location filename="../pending.py" line="24" />
      <source>Zaakondersteuner verwijderen</source>
      <translation>Remove case supporter</translation>
    </message>
    <message>
      <location filename="../pending.py" line="24" />
      <source>Taak aanmaken</source>
      <translation>Create task</translation>
    </message>
    <message>
      <location filename="../pending.py" line="25" />
      <source>Taak oppakken</source>
      <translation>Pick up task</translation>
    </message>
    <message>
      <location filename="../pending.py" line="25" />
      <source>Taak teruggeven</source>
      <translation>Hand back task</translation>
    </message>
    <message>
      <location filename="../pending.py" line="25" />
      <source>Taak afronden</source>
      <translation>Complete task</translation>
    </message>
    <message>
      <location filename="../pending.py" line="26" />
      <source>Taak doorsturen</source>
      <translation>Forward task</translation>
    </message>
    <message>
      <location filename="../pending.py" line="26" />
      <source>Meldingen wijzigen</source>
      <translation>Change notifications</translation>
    </message>
    <message>
      <location filename="../pending.py" line="49" />
      <source>{name} had deze taak al opgepakt.</source>
      <translation>{name} had already picked up this task.</translation>
    </message>
    <message>
      <location filename="../pending.py" line="53" />
      <source>Iemand anders heeft dit intussen gewijzigd.</source>
      <translation>Someone else changed this in the meantime.</translation>
    </message>
    <message>
      <location filename="../pending.py" line="55" />
      <source>De zaak of taak is niet meer zichtbaar voor u.</source>
      <translation>The case or task is no longer visible to you.</translation>
    </message>
    <message>
      <location filename="../pending.py" line="56" />
      <source>De dienst heeft deze wijziging niet verwerkt.</source>
      <translation>The service did not process this change.</translation>
    </message>
    <message>
      <location filename="../pending.py" line="63" />
      <source>Wijzigingen</source>
      <translation>Changes</translation>
    </message>
    <message>
      <location filename="../pending.py" line="76" />
      <source>Niet verwerkt ({count})</source>
      <translation>Not processed ({count})</translation>
    </message>
    <message>
      <location filename="../pending.py" line="78" />
      <source>Alle verstuurde wijzigingen zijn verwerkt.</source>
      <translation>All sent changes have been processed.</translation>
    </message>
    <message>
      <location filename="../pending.py" line="81" />
      <source>Wacht op verzending ({count})</source>
      <translation>Waiting to be sent ({count})</translation>
    </message>
    <message>
      <location filename="../pending.py" line="83" />
      <source>Er wacht niets op verzending.</source>
      <translation>Nothing is waiting to be sent.</translation>
    </message>
    <message>
      <location filename="../pending.py" line="85" />
      <source>Deze wijzigingen zijn op dit apparaat bewaard en worden verstuurd zodra er verbinding is.</source>
      <translation>These changes are kept on this device and sent as soon as there is a connection.</translation>
    </message>
    <message>
      <location filename="../pending.py" line="114" />
      <source>Tekst kopiëren</source>
      <translation>Copy the text</translation>
    </message>
    <message>
      <location filename="../pending.py" line="119" />
      <source>Gezien</source>
      <translation>Seen</translation>
    </message>
    <message>
      <location filename="../pending.py" line="0" />
      <source>Haal deze wijziging uit de lijst; er wordt niets verstuurd.</source>
      <translation>Remove this change from the list; nothing is sent.</translation>
    </message>
  </context>
  <context>
    <name>ReplaceCoordinatorDialog</name>
    <message>
      <location filename="../case_view.py" line="172" />
      <source>Zaakcoördinator vervangen (beheer)</source>
      <translation>Replace case coordinator (administration)</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="175" />
      <source>Alleen als de zaak anders blijft liggen, bijvoorbeeld omdat de coördinator het team heeft verlaten. De reden wordt vastgelegd in de audittrail.</source>
      <translation>Only when the case would otherwise stall, for example because the coordinator left the team. The reason is recorded in the audit trail.</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="178" />
      <source>Nieuwe zaakcoördinator</source>
      <translation>New case coordinator</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="183" />
      <source>Reden</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="184" />
      <source>Reden (verplicht)</source>
      <translation>Reason (required)</translation>
    </message>
    <message>
      <location filename="../case_view.py" line="189" />
      <source>Vervangen</source>
      <translation>Replace</translation>
    </message>
  </context>
  <context>
    <name>SearchPage</name>
    <message>
      <location filename="../search.py" line="35" />
      <location filename="../search.py" line="54" />
      <source>Zoeken</source>
      <translation>Search</translation>
    </message>
    <message>
      <location filename="../search.py" line="36" />
      <source>Zoek een zaak op zaaknummer of burgerservicenummer. Bent u geen zaakcoördinator of zaakondersteuner, dan ziet u alleen de afgesloten stappen, als u geautoriseerd bent voor het zaaktype.</source>
      <translation>Find a case by case number or citizen service number. If you are not its coordinator or a supporter, you only see the closed steps, if you are authorised for the case type.</translation>
    </message>
    <message>
      <location filename="../search.py" line="39" />
      <source>Zaaknummer</source>
      <translation>Case number</translation>
    </message>
    <message>
      <location filename="../search.py" line="40" />
      <source>Burgerservicenummer</source>
      <translation>Citizen service number</translation>
    </message>
    <message>
      <location filename="../search.py" line="51" />
      <source>Zoekterm</source>
      <translation>Search term</translation>
    </message>
    <message>
      <location filename="../search.py" line="63" />
      <source>Zoekresultaten</source>
      <translation>Search results</translation>
    </message>
    <message>
      <location filename="../search.py" line="73" />
      <source>Zoeken kan alleen met verbinding met de dienst; probeer het opnieuw zodra u verbinding hebt.</source>
      <translation>Searching needs a connection to the service; try again as soon as you are connected.</translation>
    </message>
    <message>
      <location filename="../search.py" line="90" />
      <source>Geen zaak gevonden die u mag inzien.</source>
      <translation>No case found that you may view.</translation>
    </message>
    <message>
      <location filename="../search.py" line="100" />
      <source>Zoeken is niet gelukt; probeer het opnieuw.</source>
      <translation>The search did not work; please try again.</translation>
    </message>
  </context>
  <context>
    <name>SyncStatusBar</name>
    <message>
      <location filename="../main_window.py" line="83" />
      <source>Voortgang synchronisatie</source>
      <translation>Synchronisation progress</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="94" />
      <source>Online</source>
      <translation>Online</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="94" />
      <source>Offline</source>
      <translation>Offline</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="95" />
      <source>Laatst gesynchroniseerd: {time}</source>
      <translation>Last synchronised: {time}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="119" />
      <source>{count} ontvangen</source>
      <translation>{count} received</translation>
    </message>
    <message numerus="yes">
      <source>%n wijzigingen wachten op verzending</source>
      <translation>
        <numerusform>%n change waiting to be sent</numerusform>
        <numerusform>%n changes waiting to be sent</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n wijzigingen niet verwerkt</source>
      <translation>
        <numerusform>%n change not processed</numerusform>
        <numerusform>%n changes not processed</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../main_window.py" line="105" />
      <source>Alles verstuurd</source>
      <translation>Everything sent</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="200" />
      <source>Synchronisatie klaar</source>
      <translation>Sync finished</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="109" />
      <source>Toon de wijzigingen die nog wachten of niet verwerkt zijn</source>
      <translation>Show the changes still waiting or not processed</translation>
    </message>
  </context>
  <context>
    <name>TaskDetail</name>
    <message>
      <source>iemand</source>
      <translation>someone</translation>
    </message>
    <message>
      <source>werkbak {team}</source>
      <translation>work queue {team}</translation>
    </message>
    <message>
      <source>Aangemaakt door {actor} voor {target}</source>
      <translation>Created by {actor} for {target}</translation>
    </message>
    <message>
      <source>Aangemaakt door {actor}</source>
      <translation>Created by {actor}</translation>
    </message>
    <message>
      <source>Doorgestuurd door {actor} naar {target}</source>
      <translation>Forwarded by {actor} to {target}</translation>
    </message>
    <message>
      <source>Opgepakt door {actor}</source>
      <translation>Picked up by {actor}</translation>
    </message>
    <message>
      <source>Teruggegeven aan de werkbak door {actor}</source>
      <translation>Handed back to the work queue by {actor}</translation>
    </message>
    <message>
      <source>Afgerond door {actor}</source>
      <translation>Completed by {actor}</translation>
    </message>
    <message>
      <source>Afgerond: {actor} heeft de zaak afgesloten</source>
      <translation>Completed: {actor} closed the case</translation>
    </message>
    <message>
      <source>Niet voor mij</source>
      <translation>Not for me</translation>
    </message>
    <message>
      <source>Haalt de taak uit uw werkbak tot er iets aan verandert; uw teamgenoten zien hem gewoon.</source>
      <translation>Takes the task out of your work queue until something about it changes; your team mates still see it.</translation>
    </message>
    <message>
      <source>Geschiedenis</source>
      <translation>History</translation>
    </message>
    <message>
      <source>⚠ {day}, de termijn is verstreken</source>
      <translation>⚠ {day}, the deadline has passed</translation>
    </message>
    <message>
      <source>Bericht van {name}: “{note}”</source>
      <translation>Message from {name}: “{note}”</translation>
    </message>
    <message>
      <source>Dit is een werkbaktaak: hij is naar iedereen in team {team} gestuurd, omdat nog niet bekend was wie hem oppakt. Wie tijd heeft pakt hem op, volgens de afspraken van uw team. Niet voor u bedoeld? Kies ‘Niet voor mij’, geef hem terug of stuur hem door.</source>
      <translation>This is a work queue task: it was sent to everyone in team {team}, because it was not yet known who would pick it up. Whoever has time picks it up, following your team&apos;s agreements. Not meant for you? Choose ‘Not for me’, hand it back or forward it.</translation>
    </message>
    <message>
      <source>Nog niets vastgelegd.</source>
      <translation>Nothing recorded yet.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="80" />
      <source>Teruggeven aan de werkbak</source>
      <translation>Hand back to the work queue</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="81" />
      <source>Doorsturen…</source>
      <translation>Forward…</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="82" />
      <source>Zaak openen</source>
      <translation>Open case</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="85" />
      <source>Afronden</source>
      <translation>Complete</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="88" />
      <source>Oppakken</source>
      <translation>Pick up</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="105" />
      <source>Geen taak gekozen</source>
      <translation>No task selected</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="106" />
      <source>Kies een taak in de lijst om de details te zien.</source>
      <translation>Choose a task in the list to see its details.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="114" />
      <source>Zaak</source>
      <translation>Case</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="115" />
      <source>Cliënt / groep</source>
      <translation>Client / group</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="116" />
      <source>Wacht sinds</source>
      <translation>Waiting since</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="117" />
      <source>Uiterlijk</source>
      <translation>Due</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="124" />
      <source>Dit is een werkbaktaak: hij is naar iedereen in team {team} gestuurd, omdat nog niet bekend was wie hem oppakt. Wie tijd heeft pakt hem op, volgens de afspraken van uw team. Niet voor u bedoeld? Laat hem staan, geef hem terug of stuur hem door.</source>
      <translation>This is a work-queue task: it was sent to everyone in team {team}, because it was not yet known who would pick it up. Whoever has time picks it up, following your team's agreements. Not meant for you? Leave it, hand it back or forward it.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="128" />
      <source>Deze taak is rechtstreeks aan u toegewezen.</source>
      <translation>This task was assigned to you directly.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="0" />
      <source>Niet voor u? Laten staan</source>
      <translation>Not for you? Leave it</translation>
    </message>
  </context>
  <context>
    <name>TaskListModel</name>
    <message>
      <source>{day}: te laat</source>
      <translation>{day}: overdue</translation>
    </message>
    <message>
      <source>Nieuw: {task}</source>
      <translation>New: {task}</translation>
    </message>
    <message>
      <location filename="../models.py" line="198" />
      <location filename="../models.py" line="201" />
      <source>Taak</source>
      <translation>Task</translation>
    </message>
    <message>
      <location filename="../models.py" line="198" />
      <location filename="../models.py" line="201" />
      <source>Cliënt / groep</source>
      <translation>Client / group</translation>
    </message>
    <message>
      <location filename="../models.py" line="199" />
      <location filename="../models.py" line="202" />
      <source>Zaak</source>
      <translation>Case</translation>
    </message>
    <message>
      <location filename="../models.py" line="199" />
      <source>Wacht</source>
      <translation>Waiting</translation>
    </message>
    <message>
      <location filename="../models.py" line="200" />
      <location filename="../models.py" line="202" />
      <source>Uiterlijk</source>
      <translation>Due</translation>
    </message>
    <message>
      <location filename="../models.py" line="200" />
      <source>Werkbak</source>
      <translation>Work queue</translation>
    </message>
    <message>
      <location filename="../models.py" line="203" />
      <source>Via</source>
      <translation>Via</translation>
    </message>
    <message>
      <location filename="../models.py" line="236" />
      <source>Deze wijziging wacht nog op verzending.</source>
      <translation>This change is still waiting to be sent.</translation>
    </message>
    <message>
      <location filename="../models.py" line="253" />
      <source>Werkbak {team}</source>
      <translation>Work queue {team}</translation>
    </message>
    <message>
      <location filename="../models.py" line="0" />
      <source>Rechtstreeks aan u</source>
      <translation>Directly to you</translation>
    </message>
  </context>
  <context>
    <name>TaskListPage</name>
    <message>
      <source>Gekozen taak</source>
      <translation>Selected task</translation>
    </message>
    <message>
      <source>Taken in de werkbak van team {team}, wie het langst wacht bovenaan. Oppakken zet een taak meteen bij Mijn taken.</source>
      <translation>Tasks in the work queue of team {team}, longest waiting first. Picking one up puts it in My tasks at once.</translation>
    </message>
    <message>
      <source>Er staan geen taken in deze werkbak.</source>
      <translation>There are no tasks in this work queue.</translation>
    </message>
    <message>
      <source>Taken in de werkbakken van uw teams, wie het langst wacht bovenaan. Oppakken zet een taak meteen bij Mijn taken.</source>
      <translation>Tasks in your teams&apos; work queues, longest waiting first. Picking one up puts it in My tasks at once.</translation>
    </message>
    <message>
      <source>De taak staat niet meer in uw werkbak; uw teamgenoten zien hem nog. Verandert er iets aan, dan komt hij terug.</source>
      <translation>The task is no longer in your work queue; your team mates still see it. If something about it changes, it comes back.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="158" />
      <source>Mijn taken</source>
      <translation>My tasks</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="158" />
      <source>Taken die aan u zijn toegewezen of die u hebt opgepakt.</source>
      <translation>Tasks assigned to you or that you picked up.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="160" />
      <source>Werkbak</source>
      <translation>Work queue</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="161" />
      <source>Taken in de werkbakken van uw teams. Oppakken zet een taak meteen bij Mijn taken.</source>
      <translation>Tasks in your teams' work queues. Picking one up moves it to My tasks at once.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="192" />
      <source>Er staan geen taken voor u klaar.</source>
      <translation>There are no tasks waiting for you.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="192" />
      <source>De werkbakken van uw teams zijn leeg.</source>
      <translation>Your teams' work queues are empty.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="228" />
      <source>{name} had deze taak al opgepakt; hij is uit uw lijst gehaald.</source>
      <translation>{name} had already picked up this task; it was removed from your list.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="231" />
      <source>De dienst heeft dit niet verwerkt; zie de wijzigingen in de statusbalk.</source>
      <translation>The service did not process this; see the changes in the status bar.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="241" />
      <source>De taak is afgerond.</source>
      <translation>The task is completed.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="244" />
      <source>De taak staat nu bij Mijn taken. Zonder verbinding wordt het oppakken verstuurd zodra er verbinding is.</source>
      <translation>The task is now in My tasks. Without a connection, the pick-up is sent as soon as there is one.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="247" />
      <source>De taak blijft in de werkbak voor uw teamgenoten. U hoeft niets te doen.</source>
      <translation>The task stays in the work queue for your team mates. You need not do anything.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="255" />
      <source>De taak is doorgestuurd.</source>
      <translation>The task was forwarded.</translation>
    </message>
    <message>
      <location filename="../tasks.py" line="0" />
      <source>Taken in de werkbak van team {team}. Oppakken zet een taak meteen bij Mijn taken.</source>
      <translation>Tasks in the work queue of team {team}. Picking one up moves it to My tasks at once.</translation>
    </message>
  </context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Werkbak of Mijn taken?</source>
        <translation>Work queue or My tasks?</translation>
    </message>
    <message>
        <source>De &lt;b&gt;Werkbak&lt;/b&gt; toont de taken die in de werkbak van uw team(s) staan: nog niemand doet ze. Wie tijd heeft, pakt een taak op (Oppakken); dan staat de taak bij &lt;b&gt;Mijn taken&lt;/b&gt; en verdwijnt ze uit de werkbak van de anderen. Onder Mijn taken staan de taken die u hebt opgepakt of die iemand rechtstreeks naar u stuurde. Is een taak niet voor u? Laat haar in de werkbak staan, geef haar terug of stuur haar door naar een collega of team.</source>
        <translation>The &lt;b&gt;Work queue&lt;/b&gt; shows the tasks waiting in your team&apos;s (or teams&apos;) queue: nobody is doing them yet. Whoever has time picks one up (Pick up); the task then moves to &lt;b&gt;My tasks&lt;/b&gt; and leaves the others&apos; queue. My tasks holds the tasks you picked up or that someone sent to you directly. Is a task not for you? Leave it in the queue, hand it back or forward it to a colleague or team.</translation>
    </message>
    <message>
        <source>Waarom kreeg iedereen in het team de e-mail?</source>
        <translation>Why did everybody in the team get the e-mail?</translation>
    </message>
    <message>
        <source>Een taak waarvan nog niet bekend is wie haar oppakt, gaat naar de werkbak van het team, en dan krijgt ieder teamlid een e-mail. Dat u de e-mail kreeg, betekent niet dat de taak voor u bedoeld is: wie haar oppakt, spreekt uw team onderling af. Wie als eerste oppakt, heeft de taak; de anderen zien wie. U kunt deze e-mails uitzetten bij Meldingen (het persoon-icoon rechtsboven). Let op: spreek dat eerst af met uw team, zodat geen taak blijft liggen en het vervolg voor de inwoner niet wordt gemist.</source>
        <translation>A task for which it is not yet known who will pick it up goes to the team&apos;s work queue, and then every team member gets an e-mail. Getting the e-mail does not mean the task is meant for you: your team agrees among itself who picks it up. Whoever picks it up first has the task; the others see who. You can switch these e-mails off under Notifications (the person icon, top right). Note: agree on that with your team first, so that no task is left lying and the follow-up for the resident is not missed.</translation>
    </message>
    <message>
        <source>Zaakcoördinator en zaakondersteuner</source>
        <translation>Case coordinator and case supporter</translation>
    </message>
    <message>
        <source>Een zaak heeft precies één &lt;b&gt;zaakcoördinator&lt;/b&gt;: de zaak staat op zijn of haar naam. Er kunnen daarnaast meerdere &lt;b&gt;zaakondersteuners&lt;/b&gt; zijn, zodat twee mensen tegelijk in een zaak kunnen werken. Beiden zien de zaak onder Mijn zaken en kunnen haar bewerken; alleen zij kunnen de zaakcoördinator wijzigen en zaakondersteuners toevoegen of verwijderen. Wie geen van beide is, kan de zaak niet zelf overnemen; wel kan wie geautoriseerd is voor het zaaktype de afgesloten zaakstappen inzien (het vergrootglas). Een zaak verwijderen kan niet: sluit een per vergissing aangemaakte zaak af met &apos;Administratieve fout&apos;.</source>
        <translation>A case has exactly one &lt;b&gt;case coordinator&lt;/b&gt;: the case is in his or her name. There can also be several &lt;b&gt;case supporters&lt;/b&gt;, so that two people can work in a case at the same time. Both see the case under My cases and can edit it; only they can change the coordinator and add or remove supporters. Someone who is neither cannot take over the case; whoever is authorised for the case type can view the closed case steps (the magnifier). A case cannot be deleted: close a case created by mistake with &apos;Administrative error&apos;.</translation>
    </message>
    <message>
        <source>Werken zonder verbinding</source>
        <translation>Working without a connection</translation>
    </message>
    <message>
        <source>MensCentraal is alleen bereikbaar via een beveiligde verbinding: Gemnet, een werkplek die bij de dienst is aangemeld, of Mobiel Werken (dit apparaat). Zonder verbinding werkt u verder met de gegevens op dit apparaat; uw wijzigingen worden bewaard en verstuurd zodra er weer verbinding is. De statusbalk toont wat er nog wacht. Lukt verbinden niet, kies dan in het menu &apos;Verbinding controleren (diagnose)&apos;: die zegt wat er ontbreekt.</source>
        <translation>MensCentraal can only be reached over a secure connection: Gemnet, a workplace registered with the service, or Mobiel Werken (this device). Without a connection you keep working with the data on this device; your changes are kept and sent as soon as there is a connection again. The status bar shows what is still waiting. If connecting fails, choose &apos;Check connection (diagnosis)&apos; in the menu: it says what is missing.</translation>
    </message>
    <message>
        <source>Geblokkeerd of wachtwoord kwijt?</source>
        <translation>Locked out or lost your password?</translation>
    </message>
    <message>
        <source>Wachtwoord vergeten: klik op het inlogscherm op &apos;Wachtwoord vergeten?&apos;; u krijgt een tijdelijk wachtwoord per e-mail en kiest daarna zelf een nieuw. Gebruikersnaam vergeten, geen e-mail ontvangen, of meer dan 10 keer verkeerd ingelogd: dan moet uw account opnieuw worden geactiveerd door uw lokaal beheerder of de helpdesk.</source>
        <translation>Forgot your password: click &apos;Forgot password?&apos; on the login screen; you get a temporary password by e-mail and then choose a new one yourself. Forgot your username, received no e-mail, or logged in wrongly more than 10 times: then your account must be reactivated by your local administrator or the helpdesk.</translation>
    </message>
    <message>
        <source>Help — MensCentraal Mobiel</source>
        <translation>Help — MensCentraal Mobiel</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>Wie helpt u?</source>
        <translation>Who helps you?</translation>
    </message>
    <message>
        <source>Vragen? Stel ze eerst aan de superuser van uw team. Lukt het niet, neem dan contact op met:</source>
        <translation>Questions? Ask your team&apos;s superuser first. If that does not help, contact:</translation>
    </message>
</context>
</TS>
