import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
public class Probe {
  public static void main(String[] a) throws Exception {
    try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(Path.of(a[0]))) {
      System.out.println("ids " + java.util.Arrays.toString(t.encode("What is the man wearing?").getIds()));
    }
  }
}
