package io.jhttpd;

import com.sun.source.util.JavacTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's module descriptor and the Javadoc of its API, checked on the sources themselves.
 *
 * <p>The Javadoc build (maven-javadoc-plugin, in {@code mvn verify}) runs doclint with every group but
 * {@code missing}, which would demand an {@code @param} and {@code @return} on every accessor. This
 * test holds the part of {@code missing} we keep: every public type and every public or protected
 * member of an exported package says what it is, and every record component has its {@code @param}.
 * Exempt are overriding methods (they inherit their contract) and named values of their own type
 * ({@code Method.GET}, {@code Status.OK_200}), whose names say it all.
 */
class PublicApiDocumentationTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Set<String> API_PACKAGES =
            Set.of("io.jhttpd", "io.jhttpd.http", "io.jhttpd.routing", "io.jhttpd.filters", "io.jhttpd.files");

    private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^\\s*@");

    private static Elements elements;
    private static Types types;
    private static ModuleElement module;

    @BeforeAll
    static void compileTheLibrary() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        JavacTask task = (JavacTask) javac.getTask(null, files, diagnostics, List.of("--release", "21", "-proc:none"),
                null, files.getJavaFileObjectsFromPaths(sources));
        task.analyze();
        assertThat(diagnostics.getDiagnostics()).as("the library compiles").isEmpty();
        elements = task.getElements();
        types = task.getTypes();
        module = elements.getModuleElement("io.jhttpd");
    }

    @Test
    void theModuleExportsTheApiPackagesAndNothingElse() {
        Set<String> exported = new TreeSet<>();
        for (ModuleElement.ExportsDirective export : ElementFilter.exportsIn(module.getDirectives())) {
            assertThat(export.getTargetModules()).as("qualified export of %s", export.getPackage()).isNull();
            exported.add(export.getPackage().getQualifiedName().toString());
        }
        assertThat(exported).containsExactlyInAnyOrderElementsOf(API_PACKAGES);
        // the JDK alone: java.base, and jdk.net for TCP quick ACK
        assertThat(ElementFilter.requiresIn(module.getDirectives()))
                .as("JDK modules only").allMatch(r -> r.getDependency().getQualifiedName().contentEquals("java.base")
                        || r.getDependency().getQualifiedName().contentEquals("jdk.net"));
    }

    @Test
    void everyPublicTypeAndMemberOfTheApiIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        for (String name : API_PACKAGES) {
            PackageElement pkg = elements.getPackageElement(module, name);
            if (!hasDescription(pkg)) {
                undocumented.add(name + " (package-info.java)");
            }
            for (TypeElement type : ElementFilter.typesIn(pkg.getEnclosedElements())) {
                if (type.getModifiers().contains(Modifier.PUBLIC)) {
                    checkType(type, undocumented);
                }
            }
        }
        assertThat(undocumented).as("public API without Javadoc").isEmpty();
    }

    private static void checkType(TypeElement type, List<String> undocumented) {
        String typeName = type.getQualifiedName().toString();
        if (!hasDescription(type)) {
            undocumented.add(typeName);
        }
        for (RecordComponentElement component : type.getRecordComponents()) {
            String comment = String.valueOf(elements.getDocComment(type));
            if (!Pattern.compile("@param\\s+" + component.getSimpleName() + "\\s+\\S").matcher(comment).find()) {
                undocumented.add(typeName + " @param " + component.getSimpleName());
            }
        }
        for (Element member : type.getEnclosedElements()) {
            if (!isVisible(member) || elements.getOrigin(member) != Elements.Origin.EXPLICIT) {
                continue;
            }
            if (member instanceof TypeElement nested) {
                checkType(nested, undocumented);
            } else if (!isExempt(type, member) && !hasDescription(member)) {
                undocumented.add(typeName + "#" + member);
            }
        }
    }

    private static boolean isVisible(Element member) {
        Set<Modifier> modifiers = member.getModifiers();
        return modifiers.contains(Modifier.PUBLIC) || modifiers.contains(Modifier.PROTECTED);
    }

    private static boolean isExempt(TypeElement type, Element member) {
        if (member.getKind() == ElementKind.ENUM_CONSTANT || isImplicit(type, member)) {
            return true;
        }
        if (member.getKind() == ElementKind.FIELD && member.getModifiers().contains(Modifier.STATIC)
                && types.isSameType(member.asType(), type.asType())) {
            return true;
        }
        return member instanceof ExecutableElement method && overridesSomething(type, method);
    }

    /**
     * A record's components, fields and accessors (documented by its {@code @param} tags) and an enum's
     * {@code values()} and {@code valueOf(String)}, which javac reports as explicit.
     */
    private static boolean isImplicit(TypeElement type, Element member) {
        if (member.getKind() == ElementKind.RECORD_COMPONENT) {
            return true;
        }
        for (RecordComponentElement component : type.getRecordComponents()) {
            if (member.equals(component.getAccessor()) || member.getKind() == ElementKind.FIELD
                    && member.getSimpleName().equals(component.getSimpleName())) {
                return true;
            }
        }
        return type.getKind() == ElementKind.ENUM && member instanceof ExecutableElement method
                && method.getModifiers().contains(Modifier.STATIC)
                && (method.getSimpleName().contentEquals("values") && method.getParameters().isEmpty()
                    || method.getSimpleName().contentEquals("valueOf") && method.getParameters().size() == 1);
    }

    private static boolean overridesSomething(TypeElement type, ExecutableElement method) {
        if (method.getKind() != ElementKind.METHOD || method.getModifiers().contains(Modifier.STATIC)) {
            return false;
        }
        List<TypeMirror> pending = new ArrayList<>(types.directSupertypes(type.asType()));
        while (!pending.isEmpty()) {
            TypeElement supertype = (TypeElement) ((DeclaredType) pending.remove(0)).asElement();
            for (ExecutableElement other : ElementFilter.methodsIn(supertype.getEnclosedElements())) {
                if (elements.overrides(method, other, type)) {
                    return true;
                }
            }
            pending.addAll(types.directSupertypes(supertype.asType()));
        }
        return false;
    }

    /** A comment whose text before the first block tag is not blank. */
    private static boolean hasDescription(Element element) {
        String comment = elements.getDocComment(element);
        if (comment == null) {
            return false;
        }
        String description = BLOCK_TAG.split(comment, 2)[0];
        return !description.isBlank();
    }
}
