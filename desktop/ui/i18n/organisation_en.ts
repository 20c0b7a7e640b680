<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="nl_NL">
<context>
    <name>OrganisationConfig</name>
    <message>
        <source>dit is geen geldige TOML</source>
        <translation>this is not valid TOML</translation>
    </message>
    <message>
        <source>het bestand is geen UTF-8-tekst</source>
        <translation>the file is not UTF-8 text</translation>
    </message>
    <message>
        <source>onbekende instelling '{key}'</source>
        <translation>unknown setting '{key}'</translation>
    </message>
    <message>
        <source>'{key}' moet een tabel [{key}] zijn</source>
        <translation>'{key}' must be a table [{key}]</translation>
    </message>
    <message>
        <source>'{key}' ontbreekt</source>
        <translation>'{key}' is missing</translation>
    </message>
    <message>
        <source>'{key}' moet tekst zijn (hoogstens 200 tekens)</source>
        <translation>'{key}' must be text (at most 200 characters)</translation>
    </message>
    <message>
        <source>'{key}' moet een https-adres zijn</source>
        <translation>'{key}' must be an https address</translation>
    </message>
    <message>
        <source>'{key}' wijst niet naar een leesbaar CA-certificaat (PEM)</source>
        <translation>'{key}' does not point to a readable CA certificate (PEM)</translation>
    </message>
    <message>
        <source>'{key}' moet een geheel getal van {low} tot en met {high} zijn</source>
        <translation>'{key}' must be a whole number from {low} to {high}</translation>
    </message>
    <message>
        <source>'offline_wipe_days' valt vóór 'offline_lock_hours'; wissen moet na vergrendelen komen</source>
        <translation>'offline_wipe_days' comes before 'offline_lock_hours'; the wipe must come after the lock</translation>
    </message>
    <message>
        <source>geef minstens [contacts.local_admin] of [contacts.helpdesk]</source>
        <translation>give at least [contacts.local_admin] or [contacts.helpdesk]</translation>
    </message>
    <message>
        <source>'{key}' heeft een telefoonnummer of e-mailadres nodig</source>
        <translation>'{key}' needs a phone number or an e-mail address</translation>
    </message>
</context>
</TS>
