package io.dime.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed models and demo data unpack into a folder of the current user's: a shared {@code
 * /tmp/dime-models} made by one user was closed to the next, and one that anybody could write let a
 * model be swapped between its digest check and its load.
 */
class CommittedFilesTest {
  @TempDir Path tmp;
  private String saved;
  private Path base;

  @BeforeEach
  void pointTmpdirHere() {
    saved = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
    String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
    base = tmp.resolve("dime-" + user);
  }

  @AfterEach
  void restore() {
    System.setProperty("java.io.tmpdir", saved);
  }

  @Test
  void aFreshFolderIsTheUsersAlone() throws IOException {
    Path dir = CommittedFiles.privateDir("models");
    assertEquals(base.resolve("models"), dir);
    assertTrue(Files.isDirectory(dir));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
    assertEquals(dir, CommittedFiles.privateDir("models"), "the same folder the next time");
  }

  @Test
  void aFolderOthersCanWriteIsNotUsed() throws IOException {
    Files.createDirectory(base);
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertOutside(CommittedFiles.privateDir("models"));
  }

  @Test
  void aLinkIsNotFollowed() throws IOException {
    Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(base, elsewhere);
    Path dir = CommittedFiles.privateDir("models");
    assertOutside(dir);
    assertFalse(Files.exists(elsewhere.resolve("models")), "nothing made through the link");
  }

  @Test
  void anotherUsersFolderIsNotUsed() throws IOException {
    Files.createDirectory(
        base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    UserPrincipal nobody;
    try {
      nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(base, nobody);
    } catch (IOException | UnsupportedOperationException e) {
      Assumptions.abort("cannot give a folder to another user here: " + e);
      return;
    }
    assertOutside(CommittedFiles.privateDir("models"));
  }

  private void assertOutside(Path dir) throws IOException {
    assertFalse(dir.startsWith(base), dir + " is not under " + base);
    assertTrue(Files.isDirectory(dir));
    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent()));
    assertEquals("rwx------", perms, "the process's own folder");
  }
}
